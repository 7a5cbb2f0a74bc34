#include "ingest/rtmp/amf0.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

using namespace roomscribe::rtmp;

Q_DECLARE_METATYPE(Amf0Value)

namespace {

using Type = Amf0Value::Type;

QByteArray encode(const Amf0Value &value)
{
    QByteArray out;
    encodeAmf0(out, value);
    return out;
}

// Decodes from an exactly sized heap copy so that a sanitizer build catches
// any read past the end.
bool decode(const QByteArray &bytes, std::vector<Amf0Value> &values, QString *error,
            const Amf0DecodeLimits &limits = {})
{
    const auto copy = std::make_unique<char[]>(size_t(std::max<qsizetype>(bytes.size(), 1)));
    std::copy(bytes.begin(), bytes.end(), copy.get());
    return decodeAmf0(copy.get(), size_t(bytes.size()), values, error, limits);
}

Amf0Value decodeOne(const QByteArray &bytes)
{
    std::vector<Amf0Value> values;
    QString error;
    if (!decode(bytes, values, &error)) {
        qWarning() << error;
        return {};
    }
    if (values.size() != 1) {
        qWarning() << "decoded" << values.size() << "values";
        return {};
    }
    return values.front();
}

QString decodeError(const QByteArray &bytes, const Amf0DecodeLimits &limits = {})
{
    std::vector<Amf0Value> values;
    QString error;
    if (decode(bytes, values, &error, limits))
        return QString();
    return error;
}

Amf0Value nestedObjects(int depth)
{
    Amf0Value value = Amf0Value::number(depth);
    for (int i = 0; i < depth; ++i)
        value = Amf0Value::object({{QStringLiteral("child"), value}});
    return value;
}

Amf0Value nestedArrays(int depth)
{
    Amf0Value value = Amf0Value::null();
    for (int i = 0; i < depth; ++i)
        value = Amf0Value::strictArray({value});
    return value;
}

Amf0Value sampleObject()
{
    return Amf0Value::object(
        {{QStringLiteral("app"), Amf0Value::string(QStringLiteral("live"))},
         {QStringLiteral("n"), Amf0Value::number(-2.5)},
         {QStringLiteral("flag"), Amf0Value::boolean(true)},
         {QStringLiteral("nothing"), Amf0Value::null()},
         {QStringLiteral("undef"), Amf0Value::undefined()},
         {QStringLiteral("list"),
          Amf0Value::strictArray({Amf0Value::number(1), Amf0Value::string(QStringLiteral("x"))})},
         {QStringLiteral("map"),
          Amf0Value::ecmaArray({{QStringLiteral("k"), Amf0Value::boolean(false)}})},
         {QStringLiteral("when"), Amf0Value::date(1700000000000.0, -60)},
         {QStringLiteral("ключ"), Amf0Value::string(QStringLiteral("значение ✓"))}});
}

} // namespace

class TestAmf0 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void roundTripNested();
    void encodesConnectCommand();
    void decodesHandBuiltBytes();
    void longString();
    void truncatedAtEveryLength();
    void errorNamesWhatAndWhere();
    void depthLimit();
    void elementLimit();
    void hugeStrictArrayCount();
    void bogusMarkers_data();
    void bogusMarkers();
    void toleratedMarkers();
    void emptyKeyWithoutEndIsAProperty();
    void accessors();
};

void TestAmf0::roundTrip_data()
{
    QTest::addColumn<Amf0Value>("value");
    QTest::addColumn<int>("type");
    QTest::newRow("number 0") << Amf0Value::number(0) << int(Type::Number);
    QTest::newRow("number negative") << Amf0Value::number(-1234.5625) << int(Type::Number);
    QTest::newRow("number inf") << Amf0Value::number(std::numeric_limits<double>::infinity())
                                << int(Type::Number);
    QTest::newRow("number nan") << Amf0Value::number(std::numeric_limits<double>::quiet_NaN())
                                << int(Type::Number);
    QTest::newRow("true") << Amf0Value::boolean(true) << int(Type::Boolean);
    QTest::newRow("false") << Amf0Value::boolean(false) << int(Type::Boolean);
    QTest::newRow("empty string") << Amf0Value::string(QString()) << int(Type::String);
    QTest::newRow("utf-8 string") << Amf0Value::string(QStringLiteral("Привет, мир 🎙"))
                                  << int(Type::String);
    QTest::newRow("null") << Amf0Value::null() << int(Type::Null);
    QTest::newRow("undefined") << Amf0Value::undefined() << int(Type::Undefined);
    QTest::newRow("empty object") << Amf0Value::object() << int(Type::Object);
    QTest::newRow("object") << sampleObject() << int(Type::Object);
    QTest::newRow("empty ecma array") << Amf0Value::ecmaArray() << int(Type::EcmaArray);
    QTest::newRow("ecma array") << Amf0Value::ecmaArray(sampleObject().properties())
                                << int(Type::EcmaArray);
    QTest::newRow("empty strict array") << Amf0Value::strictArray() << int(Type::StrictArray);
    QTest::newRow("strict array") << Amf0Value::strictArray({sampleObject(), Amf0Value::null()})
                                  << int(Type::StrictArray);
    QTest::newRow("date") << Amf0Value::date(1234567890123.0, 120) << int(Type::Date);
}

void TestAmf0::roundTrip()
{
    QFETCH(Amf0Value, value);
    QFETCH(int, type);
    const QByteArray bytes = encode(value);
    const Amf0Value decoded = decodeOne(bytes);
    QCOMPARE(int(decoded.type()), type);
    // Encoding is canonical, so equal bytes mean equal values (NaN included).
    QCOMPARE(encode(decoded), bytes);
    QCOMPARE(decoded.properties().size(), value.properties().size());
    QCOMPARE(decoded.elements().size(), value.elements().size());
    QCOMPARE(decoded.toString(), value.toString());
}

void TestAmf0::roundTripNested()
{
    const Amf0Value deep = nestedObjects(10);
    const Amf0Value decoded = decodeOne(encode(deep));
    const Amf0Value *cursor = &decoded;
    for (int i = 0; i < 10; ++i) {
        QCOMPARE(cursor->type(), Type::Object);
        cursor = &cursor->property(QStringLiteral("child"));
    }
    QCOMPARE(cursor->toNumber(), 10.0);

    const Amf0Value object = decodeOne(encode(sampleObject()));
    QCOMPARE(object.property(QStringLiteral("app")).toString(), QStringLiteral("live"));
    QCOMPARE(object.property(QStringLiteral("n")).toNumber(), -2.5);
    QVERIFY(object.property(QStringLiteral("flag")).toBoolean());
    QCOMPARE(object.property(QStringLiteral("nothing")).type(), Type::Null);
    QCOMPARE(object.property(QStringLiteral("undef")).type(), Type::Undefined);
    QCOMPARE(object.property(QStringLiteral("list")).elements().size(), size_t(2));
    QCOMPARE(object.property(QStringLiteral("list")).elements()[1].toString(), QStringLiteral("x"));
    QCOMPARE(object.property(QStringLiteral("map")).type(), Type::EcmaArray);
    QCOMPARE(object.property(QStringLiteral("when")).toNumber(), 1700000000000.0);
    QCOMPARE(object.property(QStringLiteral("ключ")).toString(), QStringLiteral("значение ✓"));
    // Wire order is kept.
    QCOMPARE(object.properties().front().first, QStringLiteral("app"));
    QCOMPARE(object.properties().back().first, QStringLiteral("ключ"));

    // Several top-level values in one payload, as in a command message.
    const std::vector<Amf0Value> command = {Amf0Value::string(QStringLiteral("createStream")),
                                            Amf0Value::number(4), Amf0Value::null()};
    std::vector<Amf0Value> values;
    QString error;
    QVERIFY(decode(encodeAmf0(command), values, &error));
    QCOMPARE(values.size(), size_t(3));
    QCOMPARE(values[0].toString(), QStringLiteral("createStream"));
    QCOMPARE(values[1].toNumber(), 4.0);
    QCOMPARE(values[2].type(), Type::Null);
}

void TestAmf0::encodesConnectCommand()
{
    const std::vector<Amf0Value> connect = {
        Amf0Value::string(QStringLiteral("connect")), Amf0Value::number(1),
        Amf0Value::object({{QStringLiteral("app"), Amf0Value::string(QStringLiteral("live"))},
                           {QStringLiteral("fpad"), Amf0Value::boolean(false)},
                           {QStringLiteral("audioCodecs"), Amf0Value::number(3191)}})};
    const QByteArray expected = QByteArray::fromHex(
        // "connect"
        "02 0007 636f6e6e656374"
        // 1.0
        "00 3ff0000000000000"
        // { app: "live", fpad: false, audioCodecs: 3191 }
        "03"
        "0003 617070 02 0004 6c697665"
        "0004 66706164 01 00"
        "000b 617564696f436f64656373 00 40a8ee0000000000"
        "0000 09");
    QCOMPARE(encodeAmf0(connect).toHex(), expected.toHex());
}

void TestAmf0::decodesHandBuiltBytes()
{
    // onMetaData as FFmpeg writes it: an ECMA array whose count is a hint.
    const QByteArray bytes = QByteArray::fromHex("02 000a 6f6e4d65746144617461"
                                                 "08 00000063"
                                                 "000f 617564696f73616d706c6572617465"
                                                 "00 40e5888000000000"
                                                 "0006 73746572656f 01 01"
                                                 "0000 09"
                                                 "0b 4271ee7f5b800000 fff0");
    std::vector<Amf0Value> values;
    QString error;
    QVERIFY2(decode(bytes, values, &error), qPrintable(error));
    QCOMPARE(values.size(), size_t(3));
    QCOMPARE(values[0].toString(), QStringLiteral("onMetaData"));
    QCOMPARE(values[1].type(), Type::EcmaArray);
    QCOMPARE(values[1].property(QStringLiteral("audiosamplerate")).toNumber(), 44100.0);
    QVERIFY(values[1].property(QStringLiteral("stereo")).toBoolean());
    QCOMPARE(values[2].type(), Type::Date);
    QCOMPARE(encode(values[2]), bytes.right(11));
    // The ECMA array count is rewritten from the properties.
    QCOMPARE(encode(values[1]).mid(1, 4), QByteArray::fromHex("00000002"));
}

void TestAmf0::longString()
{
    const QString text(70000, QLatin1Char('a'));
    const QByteArray bytes = encode(Amf0Value::string(text));
    QCOMPARE(uint8_t(bytes[0]), uint8_t(0x0c));
    QCOMPARE(bytes.mid(1, 4), QByteArray::fromHex("00011170"));
    QCOMPARE(decodeOne(bytes).toString(), text);

    const QString exact(0xffff, QLatin1Char('b'));
    QCOMPARE(uint8_t(encode(Amf0Value::string(exact))[0]), uint8_t(0x02));
    QCOMPARE(decodeOne(encode(Amf0Value::string(exact))).toString(), exact);
}

void TestAmf0::truncatedAtEveryLength()
{
    const QByteArray full = encode(Amf0Value::strictArray(
        {sampleObject(), Amf0Value::string(QString(300, QLatin1Char('z'))), Amf0Value::date(5, 1),
         Amf0Value::ecmaArray(sampleObject().properties())}));
    for (qsizetype length = 1; length < full.size(); ++length) {
        const QString error = decodeError(full.left(length));
        QVERIFY2(error.startsWith(QLatin1String("AMF0: ")),
                 qPrintable(QStringLiteral("length %1: '%2'").arg(length).arg(error)));
        QVERIFY2(error.contains(QLatin1String(" at offset ")), qPrintable(error));
    }
    QVERIFY(decodeError(full).isEmpty());
    std::vector<Amf0Value> values;
    QString error;
    QVERIFY(decodeAmf0(nullptr, 0, values, &error));
    QVERIFY(values.empty());
}

void TestAmf0::errorNamesWhatAndWhere()
{
    QByteArray bytes = encode(Amf0Value::number(1));
    bytes += encode(Amf0Value::boolean(true));
    bytes += QByteArray::fromHex("02 0005 6162");
    QCOMPARE(decodeError(bytes), QStringLiteral("AMF0: truncated string at offset 11"));
    QCOMPARE(decodeError(QByteArray::fromHex("00 0102")),
             QStringLiteral("AMF0: truncated number at offset 0"));
    QCOMPARE(decodeError(QByteArray::fromHex("03 0001 61")),
             QStringLiteral("AMF0: truncated object at offset 0"));
    QCOMPARE(decodeError(QByteArray::fromHex("03 0001 61 00 3ff0000000000000")),
             QStringLiteral("AMF0: truncated object at offset 0"));
    QCOMPARE(decodeError(QByteArray::fromHex("03 0001 61 0c 00000010 41")),
             QStringLiteral("AMF0: truncated string at offset 4"));
    QCOMPARE(decodeError(QByteArray::fromHex("0b 00")),
             QStringLiteral("AMF0: truncated date at offset 0"));
    QCOMPARE(decodeError(QByteArray::fromHex("01")),
             QStringLiteral("AMF0: truncated boolean at offset 0"));
    QCOMPARE(decodeError(QByteArray::fromHex("03 0001 61 62")),
             QStringLiteral("AMF0: unknown marker 98 at offset 4"));
}

void TestAmf0::depthLimit()
{
    QVERIFY(decodeOne(encode(nestedObjects(16))).isValid());
    QCOMPARE(decodeError(encode(nestedObjects(17))),
             QStringLiteral("AMF0: nesting deeper than 16 at offset 128"));
    QVERIFY(decodeOne(encode(nestedArrays(16))).isValid());
    QVERIFY(decodeError(encode(nestedArrays(17))).contains(QLatin1String("nesting deeper")));

    Amf0DecodeLimits shallow;
    shallow.maxDepth = 2;
    QVERIFY(decodeError(encode(nestedObjects(2)), shallow).isEmpty());
    QVERIFY(decodeError(encode(nestedObjects(3)), shallow).contains(QLatin1String("deeper")));

    // Deep input far beyond the limit fails without deep recursion.
    QByteArray deep;
    for (int i = 0; i < 100000; ++i)
        deep += QByteArray::fromHex("0a00000001");
    QVERIFY(decodeError(deep).contains(QLatin1String("nesting deeper than 16")));
}

void TestAmf0::elementLimit()
{
    std::vector<Amf0Value> numbers(5000, Amf0Value::number(1));
    QCOMPARE(decodeError(encode(Amf0Value::strictArray(numbers))),
             QStringLiteral("AMF0: more than 4096 values at offset 0"));
    Amf0DecodeLimits roomy;
    roomy.maxElements = 5001;
    QVERIFY(decodeError(encode(Amf0Value::strictArray(numbers)), roomy).isEmpty());

    // Top-level values count as well.
    QVERIFY(decodeError(encodeAmf0(numbers)).contains(QLatin1String("more than 4096 values")));

    Amf0DecodeLimits tiny;
    tiny.maxElements = 3;
    QVERIFY(decodeError(encode(sampleObject()), tiny).contains(QLatin1String("more than 3")));
}

void TestAmf0::hugeStrictArrayCount()
{
    QCOMPARE(decodeError(QByteArray::fromHex("0a ffffffff 05 05")),
             QStringLiteral("AMF0: truncated strict array at offset 0"));
    QByteArray many = QByteArray::fromHex("0a 00002000");
    many += QByteArray(0x2000, char(0x05));
    QCOMPARE(decodeError(many), QStringLiteral("AMF0: more than 4096 values at offset 0"));
}

void TestAmf0::bogusMarkers_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("movieclip") << QByteArray::fromHex("04")
                               << QStringLiteral("AMF0: unsupported marker 4 at offset 0");
    QTest::newRow("reference") << QByteArray::fromHex("070001")
                               << QStringLiteral("AMF0: references are not supported at offset 0");
    QTest::newRow("object end") << QByteArray::fromHex("09")
                                << QStringLiteral("AMF0: unexpected object end at offset 0");
    QTest::newRow("recordset") << QByteArray::fromHex("0e")
                               << QStringLiteral("AMF0: unsupported marker 14 at offset 0");
    QTest::newRow("avmplus") << QByteArray::fromHex("1104")
                             << QStringLiteral("AMF0: AMF3 values are not supported at offset 0");
    QTest::newRow("0x12") << QByteArray::fromHex("12")
                          << QStringLiteral("AMF0: unknown marker 18 at offset 0");
    QTest::newRow("0xff after a value")
        << QByteArray::fromHex("05ff") << QStringLiteral("AMF0: unknown marker 255 at offset 1");
    QTest::newRow("inside array") << QByteArray::fromHex("0a00000002 05 04")
                                  << QStringLiteral("AMF0: unsupported marker 4 at offset 6");
}

void TestAmf0::bogusMarkers()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QCOMPARE(decodeError(bytes), error);
}

void TestAmf0::toleratedMarkers()
{
    // XML document: a long string.
    const Amf0Value xml = decodeOne(QByteArray::fromHex("0f 00000003 3c612f"));
    QCOMPARE(xml.type(), Type::String);
    QCOMPARE(xml.toString(), QStringLiteral("<a/"));
    // Typed object: an object, class name dropped.
    const Amf0Value typed =
        decodeOne(QByteArray::fromHex("10 0003 466f6f 0001 78 00 4000000000000000 0000 09"));
    QCOMPARE(typed.type(), Type::Object);
    QCOMPARE(typed.property(QStringLiteral("x")).toNumber(), 2.0);
    // The "unsupported" marker is a value without payload.
    QCOMPARE(decodeOne(QByteArray::fromHex("0d")).type(), Type::Undefined);
}

void TestAmf0::emptyKeyWithoutEndIsAProperty()
{
    const Amf0Value object = decodeOne(QByteArray::fromHex("03 0000 05 0001 61 01 01 0000 09"));
    QCOMPARE(object.properties().size(), size_t(2));
    QCOMPARE(object.properties()[0].first, QString());
    QCOMPARE(object.properties()[0].second.type(), Type::Null);
    QVERIFY(object.property(QStringLiteral("a")).toBoolean());
}

void TestAmf0::accessors()
{
    QVERIFY(!Amf0Value().isValid());
    QCOMPARE(Amf0Value::string(QStringLiteral("3")).toNumber(7), 7.0);
    QCOMPARE(Amf0Value::number(3).toString(), QString());
    QVERIFY(!Amf0Value::null().toBoolean());
    QVERIFY(Amf0Value::number(2).toBoolean());
    QVERIFY(!Amf0Value::object().property(QStringLiteral("missing")).isValid());

    Amf0Value object = Amf0Value::object();
    object.setProperty(QStringLiteral("a"), Amf0Value::number(1));
    object.setProperty(QStringLiteral("b"), Amf0Value::number(2));
    object.setProperty(QStringLiteral("a"), Amf0Value::number(3));
    QCOMPARE(object.properties().size(), size_t(2));
    QCOMPARE(object.properties()[0].first, QStringLiteral("a"));
    QCOMPARE(object.property(QStringLiteral("a")).toNumber(), 3.0);

    // An invalid value still encodes to something decodable.
    QCOMPARE(encode(Amf0Value()), QByteArray::fromHex("06"));
}

QTEST_APPLESS_MAIN(TestAmf0)
#include "tst_amf0.moc"
