using Google.Protobuf;

namespace GslbDns.Tapping;

/// <summary>
/// Encodes dnstap messages (dnstap.proto from dnstap.info) with Google.Protobuf's
/// <see cref="CodedOutputStream"/>, field by field: the schema is small and fixed, so no generated
/// classes are needed, and the writer thread builds no objects per message.
/// <para>
/// Bytes fields (addresses, DNS messages) are written as tag and length through the coded stream,
/// which is then flushed so the bytes themselves can go straight into the buffer behind it: the
/// library's own way takes a <see cref="ByteString"/>, an object per field.
/// </para>
/// </summary>
public sealed class DnstapEncoder
{
    // Dnstap
    private const int DnstapIdentity = 1;
    private const int DnstapVersion = 2;
    private const int DnstapMessage = 14;
    private const int DnstapType = 15;
    private const int TypeMessage = 1;

    // Message
    private const int MessageType = 1;
    private const int SocketFamily = 2;
    private const int SocketProtocol = 3;
    private const int QueryAddress = 4;
    private const int ResponseAddress = 5;
    private const int QueryPort = 6;
    private const int ResponsePort = 7;
    private const int QueryTimeSec = 8;
    private const int QueryTimeNsec = 9;
    private const int QueryMessage = 10;
    private const int ResponseTimeSec = 12;
    private const int ResponseTimeNsec = 13;
    private const int ResponseMessage = 14;

    public const int AuthQuery = 1;
    public const int AuthResponse = 2;
    private const int FamilyInet = 1;
    private const int FamilyInet6 = 2;
    private const int ProtocolUdp = 1;
    private const int ProtocolTcp = 2;

    private readonly byte[] _identity;
    private readonly byte[] _version;
    private readonly MemoryStream _buffer = new(DnstapTap.PayloadBytes + 512);
    private readonly CodedOutputStream _output;
    private readonly byte[] _address = new byte[16];
    private readonly byte[] _serverAddress = new byte[16];

    public DnstapEncoder(string identity, string version)
    {
        _identity = System.Text.Encoding.UTF8.GetBytes(identity);
        _version = System.Text.Encoding.UTF8.GetBytes(version);
        _output = new CodedOutputStream(_buffer, leaveOpen: true);
    }

    /// <summary>A point in time as dnstap holds it: seconds since 1970 and nanoseconds.</summary>
    public readonly record struct Time(ulong Seconds, uint Nanoseconds)
    {
        public static Time Of(DateTime utc)
        {
            long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
            return new Time((ulong)(ticks / TimeSpan.TicksPerSecond), (uint)(ticks % TimeSpan.TicksPerSecond * 100));
        }
    }

    /// <summary>
    /// One Dnstap frame: an AUTH_QUERY (with the query bytes) or an AUTH_RESPONSE (with the response
    /// bytes and both times). The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Encode(int type, in DnstapRecord record, ReadOnlySpan<byte> message, Time queryTime, Time responseTime)
    {
        bool response = type == AuthResponse;
        int addressLength = record.Client.IsIPv4 ? 4 : 16;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(_address, record.Client.Bits);
        var address = _address.AsSpan(16 - addressLength);
        // Our end, when the listener gave it in the client's family (socket_family covers both).
        bool server = record.ServerPort != 0 && record.Server.IsIPv4 == record.Client.IsIPv4;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(_serverAddress, record.Server.Bits);
        var serverAddress = _serverAddress.AsSpan(16 - addressLength);

        int messageSize = VarintSize(MessageType, (uint)type)
            + VarintSize(SocketFamily, addressLength == 4 ? FamilyInet : FamilyInet6)
            + VarintSize(SocketProtocol, record.Transport == Pipeline.Transport.Tcp ? ProtocolTcp : ProtocolUdp)
            + BytesSize(QueryAddress, addressLength)
            + (server ? BytesSize(ResponseAddress, addressLength) + VarintSize(ResponsePort, record.ServerPort) : 0)
            + VarintSize(QueryPort, record.ClientPort)
            + VarintSize(QueryTimeSec, queryTime.Seconds) + Fixed32Size(QueryTimeNsec);
        if (response) messageSize += VarintSize(ResponseTimeSec, responseTime.Seconds) + Fixed32Size(ResponseTimeNsec);
        messageSize += message.IsEmpty ? 0 : BytesSize(response ? ResponseMessage : QueryMessage, message.Length);

        _buffer.SetLength(0);
        WriteBytes(DnstapIdentity, _identity);
        WriteBytes(DnstapVersion, _version);
        _output.WriteTag(DnstapMessage, WireFormat.WireType.LengthDelimited);
        _output.WriteLength(messageSize);
        WriteVarint(MessageType, (uint)type);
        WriteVarint(SocketFamily, addressLength == 4 ? FamilyInet : FamilyInet6);
        WriteVarint(SocketProtocol, record.Transport == Pipeline.Transport.Tcp ? ProtocolTcp : ProtocolUdp);
        WriteBytes(QueryAddress, address);
        if (server) WriteBytes(ResponseAddress, serverAddress);
        WriteVarint(QueryPort, record.ClientPort);
        if (server) WriteVarint(ResponsePort, record.ServerPort);
        WriteVarint(QueryTimeSec, queryTime.Seconds);
        WriteFixed32(QueryTimeNsec, queryTime.Nanoseconds);
        if (!response && !message.IsEmpty) WriteBytes(QueryMessage, message);
        if (response)
        {
            WriteVarint(ResponseTimeSec, responseTime.Seconds);
            WriteFixed32(ResponseTimeNsec, responseTime.Nanoseconds);
            if (!message.IsEmpty) WriteBytes(ResponseMessage, message);
        }
        WriteVarint(DnstapType, TypeMessage);
        _output.Flush();
        return _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
    }

    private static int VarintSize(int field, int value) => VarintSize(field, (ulong)value);

    private static int VarintSize(int field, ulong value) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeUInt64Size(value);

    private static int Fixed32Size(int field) => CodedOutputStream.ComputeTagSize(field) + sizeof(uint);

    private static int BytesSize(int field, int length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(length) + length;

    private void WriteVarint(int field, int value) => WriteVarint(field, (ulong)value);

    private void WriteVarint(int field, ulong value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteUInt64(value);
    }

    private void WriteFixed32(int field, uint value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFixed32(value);
    }

    private void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteLength(value.Length);
        _output.Flush();
        _buffer.Write(value);
    }
}
