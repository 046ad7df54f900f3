using System.Buffers.Binary;
using GslbDns.Observability;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Tsig;
using GslbDns.Writing;
using GslbDns.Zones;
using Microsoft.Extensions.Logging;

namespace GslbDns.Transfer;

/// <summary>
/// AXFR (RFC 5936) over TCP, and IXFR answered with the whole zone the same way (RFC 1995 §4: a
/// server without the history answers with a full transfer), or with the SOA alone for a secondary
/// already as new (§2). Who may transfer comes from
/// <c>zones/transfer.yaml</c>: the source address and the TSIG key (RFC 8945) must both be allowed;
/// everything else is REFUSED. Replies are split into messages below 64 KiB; with TSIG each message
/// is signed, the first over the request's MAC and each later one over the previous MAC and its
/// timers only (RFC 8945 §5.3.1).
/// </summary>
public sealed class ZoneTransferService : IZoneTransfer
{
    private const ushort FlagQR = 0x8000;
    private const ushort FlagAA = 0x0400;
    private const int LengthPrefix = 2;
    private const int OptLength = 11;

    /// <summary>Largest message of a transfer (the TCP length prefix is 16 bits).</summary>
    public const int MaxMessage = ushort.MaxValue;

    private readonly ZoneStore _zones;
    private readonly TransferConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger<ZoneTransferService> _logger;
    private readonly IQueryTap[] _taps;

    /// <param name="taps">The query path's observers (metrics, query log, dnstap): each transfer request is one query to them, seen with its first reply message.</param>
    public ZoneTransferService(ZoneStore zones, TransferConfig config, TimeProvider time, ILogger<ZoneTransferService> logger,
        IEnumerable<IQueryTap>? taps = null)
    {
        _taps = taps?.ToArray() ?? [];
        _zones = zones;
        _config = config;
        _time = time;
        _logger = logger;
    }

    /// <summary>The largest message written; tests shrink it to force many messages from a small zone.</summary>
    internal int MessageLimit { get; init; } = MaxMessage;

    public bool Claims(ReadOnlySpan<byte> message)
    {
        // Header, then one question: skip its name, read QTYPE. Anything odd goes the normal way (FORMERR there).
        if (message.Length < DnsWire.HeaderLength + 5 || (message[2] & 0xf8) != 0) return false;
        if (BinaryPrimitives.ReadUInt16BigEndian(message[4..]) != 1) return false;
        int pos = DnsWire.HeaderLength;
        while (pos < message.Length && message[pos] != 0)
        {
            if ((message[pos] & 0xc0) != 0) return false;
            pos += message[pos] + 1;
        }
        if (pos + 3 > message.Length) return false;
        var type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 1)..]);
        return type is RecordType.AXFR or RecordType.IXFR;
    }

    public async Task TransferAsync(byte[] request, RequestContext context, Func<ReadOnlyMemory<byte>, ValueTask> send)
    {
        var buffer = new byte[LengthPrefix + MaxMessage];
        Session session;
        try
        {
            long started = _taps.Length > 0 ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            session = Open(request, context, buffer, out int first);
            if (_taps.Length > 0) Observe(request, buffer.AsSpan(LengthPrefix, first), context, session, started);
            if (first > 0) await send(buffer.AsMemory(0, LengthPrefix + first)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException))
        {
            Log.TransferFailed(_logger, context.Client.ToString(), e);
            return;
        }
        if (session.Records is not { } records) return;
        int messages = 1;
        while (session.Next < records.Count)
        {
            int length;
            try
            {
                length = WriteMessage(ref session, request, buffer, first: false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The secondary sees the stream end without the closing SOA and discards what it got (RFC 5936 §2.2).
                Log.TransferFailed(_logger, context.Client.ToString(), e);
                return;
            }
            await send(buffer.AsMemory(0, LengthPrefix + length)).ConfigureAwait(false);
            messages++;
        }
        var zone = session.Zone!;
        Log.TransferSent(_logger, zone.Origin.ToString(), zone.Serial, context.Client.ToString(),
            records.Count, messages, session.Key?.Name.ToString() ?? "no key");
    }

    /// <summary>The state of one transfer between its messages.</summary>
    private struct Session
    {
        public CompiledZone? Zone;
        public List<TransferRecord>? Records;
        public int Next;
        public TsigKey? Key;
        public byte[] Mac;
        public int MacLength;
        public bool HasEdns;
        public ParseOutcome Parsed;
        public RecordType QType;
        public byte[] QName;
    }

    /// <summary>Checks the request and writes the first message (an error reply, or the start of the zone).</summary>
    private Session Open(byte[] request, RequestContext context, byte[] buffer, out int length)
    {
        var session = new Session { Mac = new byte[TsigAlgorithm.MaxMacLength], QName = [] };
        var query = new DnsQuery();
        var parsed = QueryParser.Parse(request, ref query);
        session.Parsed = parsed;
        if (query.QuestionEnd > 0)
        {
            session.QType = query.QType;
            session.QName = query.QName.ToArray();
        }
        if (parsed == ParseOutcome.Drop)
        {
            length = 0;
            return session;
        }
        session.HasEdns = query.HasEdns;
        if (parsed != ParseOutcome.Query)
        {
            length = Error(request, ref query, buffer, ResponseCode.FormErr);
            return session;
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        TsigRecord tsig = default;
        var verdict = TsigVerdict.Valid;
        if (query.TsigStart > 0)
        {
            if (!TsigRecord.TryRead(request, query.TsigStart, out tsig)) verdict = TsigVerdict.FormatError;
            else verdict = TsigSigner.Verify(request, tsig, _config.Keys, now, out session.Key);
            if (verdict == TsigVerdict.FormatError)
            {
                length = Error(request, ref query, buffer, ResponseCode.FormErr);
                return session;
            }
            request.AsSpan(tsig.MacOffset, tsig.MacLength).CopyTo(session.Mac);
            session.MacLength = tsig.MacLength;
        }
        var served = _zones.Current.FindZone(query.QName);
        var zone = served?.Zone;
        var rule = zone is not null && zone.Origin.Wire.SequenceEqual(query.QName) ? _config.Rules.Find(zone.Origin) : null;
        if (verdict != TsigVerdict.Valid)
        {
            Log.TransferRefused(_logger, DnsName.FromWire(query.QName).ToString(), context.Client.ToString(), $"TSIG {verdict}");
            length = Error(request, ref query, buffer, ResponseCode.NotAuth);
            length = verdict == TsigVerdict.BadTime
                ? SignBadTime(buffer, length, ref session, tsig, now)
                : TsigSigner.AppendUnsigned(buffer.AsSpan(LengthPrefix), length, tsig, now, verdict == TsigVerdict.BadKey ? TsigError.BadKey : TsigError.BadSig);
            Frame(buffer, length);
            return session;
        }
        if (rule is null || !Allowed(rule, context.Client, session.Key))
        {
            Log.TransferRefused(_logger, DnsName.FromWire(query.QName).ToString(), context.Client.ToString(),
                rule is null ? "no transfer rule for this zone" : session.Key is null ? "source or key not allowed (no TSIG)" : $"source or key {session.Key.Name} not allowed");
            length = Error(request, ref query, buffer, ResponseCode.Refused);
            if (session.Key is not null) length = Sign(buffer, length, ref session, first: true);
            Frame(buffer, length);
            return session;
        }
        session.Zone = zone;
        session.Records = query.QType == RecordType.IXFR && ClientSerial(request, query.QuestionEnd) is uint serial && SerialNotOlder(serial, zone!.Serial)
            // RFC 1995 §2: a secondary as new as we are gets our SOA alone.
            ? [new TransferRecord(zone.Origin, RecordType.SOA, zone.Soa.Ttl, zone.Soa.Records[0])]
            : TransferContent.Of(served!);
        length = WriteMessage(ref session, request, buffer, first: true, query.QuestionEnd, query.QNameLength);
        return session;
    }

    /// <summary>Shows the request and its first reply message to the taps, as the query path does for every query.</summary>
    private void Observe(byte[] request, ReadOnlySpan<byte> reply, in RequestContext context, in Session session, long started)
    {
        var outcome = new QueryOutcome
        {
            Query = request,
            Response = reply,
            Transport = context.Transport,
            Client = context.Client,
            ClientPort = context.ClientPort,
            Server = context.Server,
            ServerPort = context.ServerPort,
            Parsed = session.Parsed,
            QType = session.QType,
            QName = session.QName,
            Rcode = reply.Length >= DnsWire.HeaderLength ? (ResponseCode)(reply[3] & 0x0f) : ResponseCode.NoError,
            Started = started,
            Finished = System.Diagnostics.Stopwatch.GetTimestamp(),
        };
        foreach (var tap in _taps)
        {
            try
            {
                tap.Observe(outcome);
            }
            catch (Exception e)
            {
                Log.QueryFailed(_logger, e);
            }
        }
    }

    /// <summary>RFC 1982 serial arithmetic: the secondary's serial is the same as ours or newer.</summary>
    private static bool SerialNotOlder(uint theirs, uint ours) => (int)(theirs - ours) >= 0;

    /// <summary>The serial of the SOA an IXFR request carries in its authority section (RFC 1995 §3); null when it has none.</summary>
    private static uint? ClientSerial(byte[] request, int questionEnd)
    {
        if (BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(6)) != 0 || BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(8)) == 0) return null;
        int pos = questionEnd;
        if (!SkipName(request, ref pos) || pos + 10 > request.Length) return null;
        if ((RecordType)BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(pos)) != RecordType.SOA) return null;
        int end = pos + 10 + BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(pos + 8));
        pos += 10;
        if (end > request.Length || !SkipName(request, ref pos) || !SkipName(request, ref pos) || pos + 4 > end) return null;
        return BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(pos));
    }

    private static bool SkipName(byte[] message, ref int pos)
    {
        while (pos < message.Length)
        {
            byte len = message[pos];
            if (len == 0)
            {
                pos++;
                return true;
            }
            if ((len & 0xc0) == 0xc0)
            {
                pos += 2;
                return pos <= message.Length;
            }
            if ((len & 0xc0) != 0) return false;
            pos += len + 1;
        }
        return false;
    }

    private static bool Allowed(ZoneTransferRule rule, ClientAddress client, TsigKey? key)
    {
        if (rule.Allow is { } allow && !allow.Any(p => p.Contains(client))) return false;
        if (rule.Tsig is { } keys) return key is not null && keys.Contains(key.Name);
        return true;
    }

    /// <summary>One message of the zone, as many records as fit; framed, signed when the request was.</summary>
    private int WriteMessage(ref Session session, byte[] request, byte[] buffer, bool first, int questionEnd = 0, int qnameLength = 0)
    {
        int reserve = (session.Key is null ? 0 : TsigSigner.RecordLength(session.Key)) + (session.HasEdns ? OptLength : 0);
        var writer = new MessageWriter(buffer.AsSpan(LengthPrefix), Math.Min(MessageLimit, MaxMessage));
        writer.Reserve(reserve);
        // RFC 5936 §2.2.1: ID and RD copied from the request, AA set.
        writer.WriteHeader(BinaryPrimitives.ReadUInt16BigEndian(request), (ushort)(FlagQR | FlagAA | (request[2] & 0x01) << 8));
        // RFC 5936 §2.2.1: the question in the first message; later ones may leave it out.
        if (first) writer.WriteQuestion(request.AsSpan(DnsWire.HeaderLength, questionEnd - DnsWire.HeaderLength), qnameLength);
        var records = session.Records!;
        int written = 0;
        while (session.Next < records.Count)
        {
            var record = records[session.Next];
            if (!writer.WriteRecord(Section.Answer, record.Owner.Wire, record.Type, DnsWire.ClassIN, record.Ttl, record.Data.Bytes, record.Data.Names))
            {
                if (written == 0) throw new InvalidOperationException($"record {record.Owner} {record.Type} does not fit in a message of {MessageLimit} bytes");
                break;
            }
            written++;
            session.Next++;
        }
        writer.Release(reserve);
        if (session.HasEdns) writer.WriteOpt(MaxMessage, 0, false, []);
        int length = writer.Finish();
        if (session.Key is not null) length = Sign(buffer, length, ref session, first);
        Frame(buffer, length);
        return length;
    }

    private int Sign(byte[] buffer, int length, ref Session session, bool first)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        var prior = session.Mac.AsSpan(0, session.MacLength).ToArray();
        int signed = TsigSigner.Sign(buffer.AsSpan(LengthPrefix), length, session.Key!, prior, now, TsigError.NoError, [], timersOnly: !first, session.Mac);
        session.MacLength = session.Key!.Algorithm.MacLength;
        return signed;
    }

    private static int SignBadTime(byte[] buffer, int length, ref Session session, in TsigRecord tsig, long now)
    {
        Span<byte> serverTime = stackalloc byte[6];
        TsigSigner.WriteTime(serverTime, now);
        var prior = session.Mac.AsSpan(0, session.MacLength).ToArray();
        return TsigSigner.Sign(buffer.AsSpan(LengthPrefix), length, session.Key!, prior, tsig.TimeSigned, TsigError.BadTime, serverTime, false, session.Mac);
    }

    /// <summary>A reply of header and question only.</summary>
    private static int Error(byte[] request, ref DnsQuery query, byte[] buffer, ResponseCode rcode)
    {
        // Room is left for the TSIG record a signed refusal gets.
        var writer = new MessageWriter(buffer.AsSpan(LengthPrefix), MaxMessage - TsigSigner.RecordLength(DnsName.MaxWireLength, DnsName.MaxWireLength, TsigAlgorithm.MaxMacLength, 6));
        ushort flags = (ushort)(FlagQR | (query.Opcode << 11) | (request[2] & 0x01) << 8 | ((ushort)rcode & 0x0f));
        writer.WriteHeader(BinaryPrimitives.ReadUInt16BigEndian(request), flags);
        if (query.QuestionEnd > 0) writer.WriteQuestion(request.AsSpan(DnsWire.HeaderLength, query.QuestionEnd - DnsWire.HeaderLength), query.QNameLength);
        int length = writer.Finish();
        Frame(buffer, length);
        return length;
    }

    private static void Frame(byte[] buffer, int length) => BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)length);
}
