#include "rawrtmpclient.h"

#include <QElapsedTimer>
#include <QHostAddress>

namespace roomscribe::test {

using rtmp::Amf0Value;
using rtmp::MessageType;

constexpr int kHandshakeSize = 1536;
constexpr uint32_t kCommandCsid = 3;
constexpr uint32_t kAudioCsid = 4;

bool RawRtmpClient::connectTo(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return m_socket.waitForConnected(5000);
}

bool RawRtmpClient::handshake()
{
    QByteArray c0c1(1 + kHandshakeSize, '\0');
    c0c1[0] = 3;
    for (int i = 9; i < c0c1.size(); ++i)
        c0c1[i] = char(i * 7);
    sendRaw(c0c1);
    QByteArray s0s1s2;
    QElapsedTimer clock;
    clock.start();
    while (s0s1s2.size() < 1 + 2 * kHandshakeSize && clock.elapsed() < 5000) {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(200))
            continue;
        s0s1s2 += m_socket.read(1 + 2 * kHandshakeSize - s0s1s2.size());
    }
    if (s0s1s2.size() != 1 + 2 * kHandshakeSize || s0s1s2[0] != 3)
        return false;
    sendRaw(s0s1s2.mid(1, kHandshakeSize)); // C2 echoes S1
    return true;
}

void RawRtmpClient::sendCommand(const QString &name, double transaction,
                                std::vector<Amf0Value> arguments)
{
    std::vector<Amf0Value> values{Amf0Value::string(name), Amf0Value::number(transaction)};
    for (Amf0Value &argument : arguments)
        values.push_back(std::move(argument));
    sendMessage(MessageType::CommandAmf0, name == u"publish" ? 1 : 0, 0, rtmp::encodeAmf0(values));
}

void RawRtmpClient::publish(const QString &key, quint16 port)
{
    sendCommand(QStringLiteral("connect"), 1,
                {Amf0Value::object(
                    {{QStringLiteral("app"), Amf0Value::string(QStringLiteral("live"))},
                     {QStringLiteral("type"), Amf0Value::string(QStringLiteral("nonprivate"))},
                     {QStringLiteral("tcUrl"),
                      Amf0Value::string(QStringLiteral("rtmp://127.0.0.1:%1/live").arg(port))}})});
    sendCommand(QStringLiteral("createStream"), 2, {Amf0Value::null()});
    sendCommand(
        QStringLiteral("publish"), 3,
        {Amf0Value::null(), Amf0Value::string(key), Amf0Value::string(QStringLiteral("live"))});
}

void RawRtmpClient::sendMessage(MessageType type, uint32_t streamId, uint32_t timestamp_ms,
                                const QByteArray &payload)
{
    QByteArray out;
    m_writer.writeMessage(out, type == MessageType::Audio ? kAudioCsid : kCommandCsid, type,
                          streamId, timestamp_ms, payload);
    sendRaw(out);
}

void RawRtmpClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.waitForBytesWritten(2000);
}

bool RawRtmpClient::waitForServerClose(int timeout_ms)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeout_ms) {
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            return true;
        if (m_socket.waitForReadyRead(100))
            m_received += m_socket.readAll();
    }
    return m_socket.state() != QAbstractSocket::ConnectedState;
}

} // namespace roomscribe::test
