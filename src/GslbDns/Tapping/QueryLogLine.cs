using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using GslbDns.Pipeline;
using GslbDns.Steering;

namespace GslbDns.Tapping;

/// <summary>
/// One query as one line of JSON, the fields in a fixed order:
/// <c>{"time":"2026-12-02T06:30:00.123Z","client":"192.0.2.1","port":53000,"protocol":"udp",
/// "ecs":"81.2.69.0/24","name":"www.example.com.","type":"A","rcode":"NOERROR","region":"eu",
/// "service":"www.example.com.","reason":"preferred","scope":24,"latency_us":41}</c>.
/// Fields that do not apply (no ECS, a name that is not steered, no readable question) are null, not left out, so every
/// line has the same shape for jq and log shippers.
/// </summary>
public sealed class QueryLogLine
{
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Client = JsonEncodedText.Encode("client");
    private static readonly JsonEncodedText Port = JsonEncodedText.Encode("port");
    private static readonly JsonEncodedText Protocol = JsonEncodedText.Encode("protocol");
    private static readonly JsonEncodedText Ecs = JsonEncodedText.Encode("ecs");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Rcode = JsonEncodedText.Encode("rcode");
    private static readonly JsonEncodedText Region = JsonEncodedText.Encode("region");
    private static readonly JsonEncodedText Service = JsonEncodedText.Encode("service");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText Scope = JsonEncodedText.Encode("scope");
    private static readonly JsonEncodedText Latency = JsonEncodedText.Encode("latency_us");
    private static readonly JsonEncodedText Udp = JsonEncodedText.Encode("udp");
    private static readonly JsonEncodedText Tcp = JsonEncodedText.Encode("tcp");

    private readonly System.Buffers.ArrayBufferWriter<byte> _output;
    private readonly Utf8JsonWriter _json;
    private readonly byte[] _text = new byte[PresentationName.MaxLength + 64];

    // Mnemonics looked up once per type: the writer thread should not make garbage per line either,
    // as every collection of it pauses the query threads too.
    private readonly Dictionary<RecordType, string> _typeNames = [];

    /// <param name="output">Where lines are appended; the caller writes it out and resets it.</param>
    public QueryLogLine(System.Buffers.ArrayBufferWriter<byte> output)
    {
        _output = output;
        // Relaxed escaping: the log is read by people and log shippers, not embedded in HTML.
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public void Append(in QueryLogRecord record, ReadOnlySpan<byte> name, DateTime time)
    {
        var text = _text.AsSpan();
        _json.Reset(_output);
        _json.WriteStartObject();
        time.TryFormat(text, out int length, "yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        _json.WriteString(Time, text[..length]);
        _json.WriteString(Client, text[..FormatAddress(record.Client.Bits, record.Client.IsIPv4, text)]);
        _json.WriteNumber(Port, record.ClientPort);
        _json.WriteString(Protocol, record.Transport == Transport.Tcp ? Tcp : Udp);
        if (record.HasClientSubnet)
        {
            var subnet = record.ClientSubnet;
            int at = FormatAddress(subnet.Address, subnet.Family == 1, text);
            text[at++] = (byte)'/';
            subnet.SourcePrefix.TryFormat(text[at..], out int digits, provider: System.Globalization.CultureInfo.InvariantCulture);
            _json.WriteString(Ecs, text[..(at + digits)]);
        }
        else
        {
            _json.WriteNull(Ecs);
        }
        if (name.IsEmpty)
        {
            // FORMERR for a message whose question could not be read: there is no name to give.
            _json.WriteNull(Name);
            _json.WriteNull(Type);
        }
        else
        {
            _json.WriteString(Name, text[..PresentationName.Write(name, text)]);
            if (!_typeNames.TryGetValue(record.QType, out var type)) _typeNames[record.QType] = type = RecordTypeNames.ToText(record.QType);
            _json.WriteString(Type, type);
        }
        _json.WriteString(Rcode, ResponseCodeText.Of(record.Rcode));
        var service = record.Service;
        string? region = service is not null && record.Region >= 0 ? service.Policy.Regions[record.Region].Name : null;
        if (region is null) _json.WriteNull(Region); else _json.WriteString(Region, region);
        if (service is null)
        {
            _json.WriteNull(Service);
            _json.WriteNull(Reason);
        }
        else
        {
            _json.WriteString(Service, text[..PresentationName.Write(service.Policy.Name.Wire, text)]);
            _json.WriteString(Reason, record.Reason.Label());
        }
        if (record.HasClientSubnet) _json.WriteNumber(Scope, record.ScopePrefix); else _json.WriteNull(Scope);
        _json.WriteNumber(Latency, TapClock.Microseconds(record.Started, record.Finished));
        _json.WriteEndObject();
        _json.Flush();
        System.Buffers.BuffersExtensions.Write(_output, "\n"u8);
    }

    /// <summary>An address held as 128 bits (IPv4 mapped) in its usual text form; IPv4 without an object per line.</summary>
    private static int FormatAddress(UInt128 bits, bool ipv4, Span<byte> text)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, bits);
        int written;
        if (ipv4)
        {
            int at = 0;
            for (int i = 12; i < 16; i++)
            {
                if (i > 12) text[at++] = (byte)'.';
                bytes[i].TryFormat(text[at..], out written, provider: System.Globalization.CultureInfo.InvariantCulture);
                at += written;
            }
            return at;
        }
        // RFC 5952 text (zero compression, embedded IPv4) is IPAddress's to get right.
        new IPAddress(bytes).TryFormat(text, out written);
        return written;
    }
}
