#include "webhooksender.h"

#include "livekit/accesstoken.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

namespace roomscribe::test {

namespace {

constexpr int kTransferTimeout_ms = 5000;
constexpr int kRetryDelay_ms = 500;
constexpr int kMaxAttempts = 2;
// LiveKit signs each webhook with a token valid for five minutes.
constexpr std::chrono::seconds kTokenTtl{300};

} // namespace

WebhookSender::WebhookSender(QObject *parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this))
{
}

void WebhookSender::setCredentials(const QString &apiKey, const QByteArray &apiSecret)
{
    m_apiKey = apiKey;
    m_apiSecret = apiSecret;
}

void WebhookSender::enqueue(const QString &id, const QString &event, const QByteArray &body)
{
    WebhookDelivery delivery;
    delivery.id = id;
    delivery.event = event;
    delivery.body = body;
    delivery.url = m_url;
    m_deliveries.append(delivery);
    // From the event loop, so that no caller is ever held up by a delivery.
    QTimer::singleShot(0, this, &WebhookSender::sendNext);
}

void WebhookSender::sendNext()
{
    while (!m_inFlight && m_next < m_deliveries.size()) {
        const int index = m_next++;
        if (m_deliveries[index].url.isEmpty()) {
            const WebhookDelivery recorded = m_deliveries[index]; // slots may enqueue more
            Q_EMIT finished(recorded);
            continue;
        }
        attempt(index);
    }
}

void WebhookSender::attempt(int index)
{
    WebhookDelivery &delivery = m_deliveries[index];
    ++delivery.attempts;
    m_inFlight = true;

    livekit::TokenClaims claims =
        livekit::makeClaims(m_apiKey, {}, QDateTime::currentSecsSinceEpoch(), kTokenTtl);
    claims.sha256 = QString::fromLatin1(
        QCryptographicHash::hash(delivery.body, QCryptographicHash::Sha256).toBase64());
    QNetworkRequest request(delivery.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/webhook+json");
    request.setRawHeader("Authorization", livekit::createToken(claims, m_apiSecret));
    request.setTransferTimeout(kTransferTimeout_ms);
    QNetworkReply *reply = m_network->post(request, delivery.body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, index] { onReply(reply, index); });
}

void WebhookSender::onReply(QNetworkReply *reply, int index)
{
    reply->deleteLater();
    WebhookDelivery &delivery = m_deliveries[index];
    delivery.lastStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delivery.delivered = delivery.lastStatus >= 200 && delivery.lastStatus < 300;
    delivery.lastError = delivery.delivered ? QString() : reply->errorString();
    if (!delivery.delivered && delivery.attempts < kMaxAttempts) {
        qCInfo(lcFakeLiveKit) << "webhook" << delivery.event << "failed (" << delivery.lastError
                              << "), retrying";
        QTimer::singleShot(kRetryDelay_ms, this, [this, index] { attempt(index); });
        return;
    }
    if (!delivery.delivered)
        qCWarning(lcFakeLiveKit) << "webhook" << delivery.event
                                 << "not delivered:" << delivery.lastError;
    m_inFlight = false;
    const WebhookDelivery done = delivery; // slots may enqueue more
    Q_EMIT finished(done);
    sendNext();
}

} // namespace roomscribe::test
