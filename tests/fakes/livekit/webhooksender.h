#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace roomscribe::test {

// One webhook event and what became of it.
struct WebhookDelivery
{
    QString id;    // "EV_…"
    QString event; // "room_started", …
    QByteArray body;
    QUrl url;         // where it went; empty when no webhook URL was set
    int attempts = 0; // 0: not sent (no URL); at most 2 (one retry)
    bool delivered = false;
    int lastStatus = 0; // HTTP status of the last attempt; 0: no answer
    QString lastError;
};

// Posts webhooks the way LiveKit does (shared/PROTOCOLS.md, "Webhooks"):
// Content-Type application/webhook+json, `Authorization: <JWT>` without
// "Bearer", the JWT's sha256 claim = base64(SHA-256(body)). One at a time, in
// order; a failed attempt (no answer or not 2xx) is retried once.
class WebhookSender : public QObject
{
    Q_OBJECT

public:
    explicit WebhookSender(QObject *parent = nullptr);

    void setCredentials(const QString &apiKey, const QByteArray &apiSecret);
    // Applies to events queued afterwards; empty: events are only recorded.
    void setUrl(const QUrl &url) { m_url = url; }
    QUrl url() const { return m_url; }

    void enqueue(const QString &id, const QString &event, const QByteArray &body);
    QList<WebhookDelivery> deliveries() const { return m_deliveries; }
    // No event waiting or in flight.
    bool idle() const { return m_next >= m_deliveries.size() && !m_inFlight; }

Q_SIGNALS:
    // After the last attempt at one event, delivered or not.
    void finished(const roomscribe::test::WebhookDelivery &delivery);

private:
    void sendNext();
    void attempt(int index);
    void onReply(QNetworkReply *reply, int index);

    QNetworkAccessManager *m_network = nullptr;
    QString m_apiKey;
    QByteArray m_apiSecret;
    QUrl m_url;
    QList<WebhookDelivery> m_deliveries;
    int m_next = 0; // index of the next event to send
    bool m_inFlight = false;
};

} // namespace roomscribe::test
