using GslbDns.Answering;
using GslbDns.Cookies;
using GslbDns.RateLimiting;
using GslbDns.Writing;
using GslbDns.Observability;
using GslbDns.Parsing;
using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Tsig;
using GslbDns.Zones;
using Microsoft.Extensions.Logging;

namespace GslbDns.Pipeline;

/// <summary>
/// The whole query path on one screen: parse → zone → look up → (steer) → build → encode.
/// This is the one guarded entry: malformed input becomes FORMERR or a drop, and an unexpected
/// exception becomes SERVFAIL plus a log line, never a dead listener.
/// </summary>
public sealed class QueryPipeline : IQueryHandler
{
    private const ushort FlagQR = 0x8000;
    private const ushort FlagAA = 0x0400;
    private const ushort FlagTC = 0x0200;
    private const ushort FlagRD = 0x0100;
    private const ushort FlagCD = 0x0010;
    private const int OptLength = 11;
    private const int MaxEcsOptionLength = 4 + 4 + 16;
    private const int CookieOptionLength = 4 + ServerCookies.ReplyLength;

    /// <summary>The longest NSID we send; the option allows more, but an identifier this long is no identifier.</summary>
    public const int MaxNsidLength = 128;

    private readonly ZoneStore _zones;
    private readonly SteeringStep _steering;
    private readonly QueryPipelineOptions _options;
    private readonly ILogger<QueryPipeline> _logger;
    private readonly IQueryTap[] _taps;
    private readonly bool _timed;
    private readonly ServerCookies? _cookies;
    private readonly ResponseRateLimiter? _rrl;
    private readonly ServerIdentity _identity;
    private readonly byte[]? _nsid;
    private readonly LogThrottle _rrlLog = new(TimeSpan.FromSeconds(1));
    private readonly TsigKeyStore _tsigKeys;
    private readonly TimeProvider _time;

    /// <param name="cookies">DNS Cookies (RFC 7873, RFC 9018); null leaves COOKIE options unanswered.</param>
    /// <param name="rrl">Response rate limiting of UDP replies; null when off.</param>
    public QueryPipeline(ZoneStore zones, SteeringStep steering, QueryPipelineOptions options, ILogger<QueryPipeline> logger,
        IEnumerable<IQueryTap>? taps = null, ServerCookies? cookies = null, ResponseRateLimiter? rrl = null,
        TsigKeyStore? tsigKeys = null, TimeProvider? time = null)
    {
        _tsigKeys = tsigKeys ?? new TsigKeyStore(TsigKeyring.Empty);
        _time = time ?? TimeProvider.System;
        _cookies = cookies;
        _rrl = rrl;
        _identity = new ServerIdentity(options.ServerId, options.ServerVersion);
        _nsid = options.Nsid;
        _zones = zones;
        _steering = steering;
        _options = options;
        _logger = logger;
        _taps = taps?.ToArray() ?? [];
        _timed = _taps.Any(t => t.UsesTimestamps);
    }

    /// <summary>What the reply said, collected on the way for the taps.</summary>
    private struct ReplyFacts
    {
        public ParseOutcome Parsed;
        public ResponseCode Rcode;
        public bool Truncated;
        public SteeringResult Steering;
        public CookieVerdict Cookie;
        public ResponseClass RrlClass;
        public ulong RrlKey;
        public RrlAction Rrl;
        public bool HasTsig;
        public TsigVerdict Tsig;
        public TsigKey? TsigKey;
        public int TsigMacOffset;
        public int TsigMacLength;
        public long TsigTimeSigned;
        public int TsigReserve;
        public int TsigStart;
    }

    public int Handle(ReadOnlySpan<byte> message, Span<byte> response, in RequestContext context) =>
        Handle(message, response, context, trace: null);

    /// <summary>The query path with a steering trace: what explain runs, so it cannot disagree with a real answer.</summary>
    public int Handle(ReadOnlySpan<byte> message, Span<byte> response, in RequestContext context, SteeringTrace? trace)
    {
        var query = new DnsQuery();
        var facts = new ReplyFacts { Parsed = ParseOutcome.Drop };
        bool tapped = _taps.Length > 0 && trace is null;
        long started = tapped && _timed ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        int length = Handle(message, response, context, trace, ref query, ref facts);
        // RFC 7873 §5.2.3 and BIND's RRL: TCP proves the source address, and so does a valid server cookie.
        if (_rrl is not null && trace is null && length > 0 && context.Transport == Transport.Udp && facts.Cookie != CookieVerdict.Valid)
        {
            try
            {
                length = Limit(message, response, ref query, context, length, ref facts);
            }
            catch (Exception ex)
            {
                // The reply may be half rebuilt by now: drop it rather than send it; the listener lives on.
                Log.QueryFailed(_logger, ex);
                length = 0;
            }
        }
        if (facts.HasTsig && length > 0)
        {
            length = SignReply(message, response, length, ref facts);
        }
        if (!tapped) return length;

        var outcome = new QueryOutcome
        {
            Query = message,
            Response = response[..length],
            Transport = context.Transport,
            Client = context.Client,
            ClientPort = context.ClientPort,
            Server = context.Server,
            ServerPort = context.ServerPort,
            Parsed = facts.Parsed,
            QType = query.QuestionEnd > 0 ? query.QType : 0,
            QName = query.QuestionEnd > 0 ? query.QName : default,
            Rcode = facts.Rcode,
            Truncated = facts.Truncated,
            HasClientSubnet = query.ClientSubnet.Present,
            ClientSubnet = query.ClientSubnet,
            Steering = facts.Steering,
            Cookie = facts.Cookie,
            Rrl = facts.Rrl,
            Started = started,
            Finished = _timed ? System.Diagnostics.Stopwatch.GetTimestamp() : 0,
        };
        foreach (var tap in _taps)
        {
            try
            {
                tap.Observe(outcome);
            }
            catch (Exception ex)
            {
                // A broken tap costs its own record, never the answer.
                Log.QueryFailed(_logger, ex);
            }
        }
        return length;
    }

    /// <summary>Charges the reply to the client's block; over the limit it is dropped, sent truncated, or BADCOOKIE.</summary>
    private int Limit(ReadOnlySpan<byte> message, Span<byte> response, ref DnsQuery query, in RequestContext context, int length, ref ReplyFacts facts)
    {
        var action = _rrl!.Account(context.Client, facts.RrlClass, facts.RrlKey);
        if (action == RrlAction.Sent) return length;
        if (action != RrlAction.WouldLimit && facts.Cookie == CookieVerdict.Invalid)
        {
            // The client sent a cookie of ours that no longer verifies: tell it, with a fresh one, instead of going silent.
            action = RrlAction.BadCookie;
        }
        facts.Rrl = action;
        if (_rrlLog.ShouldLog(out int suppressed))
        {
            Log.RrlLimited(_logger, action switch { RrlAction.WouldLimit => "would limit", RrlAction.Slipped => "slipped", RrlAction.BadCookie => "BADCOOKIE", _ => "dropped" },
                _rrl.BlockOf(context.Client), facts.RrlClass.ToString(), query.QNameLength > 0 ? DnsName.FromWire(query.QName).ToString() : "(no question)", suppressed);
        }
        switch (action)
        {
            case RrlAction.WouldLimit:
                return length;
            case RrlAction.Dropped:
                return 0;
        }
        // Rebuilt as header, question and OPT only: TC=1 sends a real resolver to TCP, where no limit applies.
        var writer = Begin(message, response, ref query, context, ref facts);
        return action == RrlAction.BadCookie
            ? End(ref writer, message, ref query, context, ResponseCode.BadCookie, false, false, 0, ref facts)
            : End(ref writer, message, ref query, context, facts.Rcode, false, true, 0, ref facts);
    }

    private int Handle(ReadOnlySpan<byte> message, Span<byte> response, in RequestContext context, SteeringTrace? trace,
        ref DnsQuery query, ref ReplyFacts facts)
    {
        try
        {
            var outcome = QueryParser.Parse(message, ref query);
            facts.Parsed = outcome;
            if (outcome == ParseOutcome.Query && query.TsigStart > 0)
            {
                var verdict = CheckTsig(message, ref query, ref facts);
                if (verdict == TsigVerdict.FormatError) return Error(message, response, ref query, context, ResponseCode.FormErr, ref facts);
                if (verdict != TsigVerdict.Valid) return Error(message, response, ref query, context, ResponseCode.NotAuth, ref facts);
            }
            return outcome switch
            {
                ParseOutcome.Query => Answer(message, response, ref query, context, trace, ref facts),
                ParseOutcome.Drop => 0,
                ParseOutcome.FormatError => Error(message, response, ref query, context, ResponseCode.FormErr, ref facts),
                ParseOutcome.NotImplemented => Error(message, response, ref query, context, ResponseCode.NotImp, ref facts),
                _ => Error(message, response, ref query, context, ResponseCode.BadVers, ref facts),
            };
        }
        catch (Exception ex)
        {
            Log.QueryFailed(_logger, ex);
            try
            {
                return Error(message, response, ref query, context, ResponseCode.ServFail, ref facts);
            }
            catch (Exception)
            {
                return 0;
            }
        }
    }

    private int Answer(ReadOnlySpan<byte> message, Span<byte> response, ref DnsQuery query, in RequestContext context, SteeringTrace? trace,
        ref ReplyFacts facts)
    {
        var writer = Begin(message, response, ref query, context, ref facts);
        ResponseCode rcode;
        bool authoritative = false, truncated = false, noData = false;

        ref var steering = ref facts.Steering;
        steering.Region = -1;
        var zone = query.QClass is DnsWire.ClassIN or DnsWire.ClassAny ? _zones.Current.FindZone(query.QName) : null;
        if (query.QClass == DnsWire.ClassCH)
        {
            rcode = _identity.Answer(query.QName, query.QType, ref writer, out authoritative);
        }
        else if (query.QType is RecordType.AXFR or RecordType.IXFR && context.Transport == Transport.Udp)
        {
            // RFC 5936 §4.2: AXFR sessions over UDP are not defined; NOTIMP, as knot answers. IXFR's
            // UDP form (RFC 1995 §2) is not offered either: secondaries fall back to TCP.
            rcode = ResponseCode.NotImp;
        }
        else if (zone is null || query.QType is RecordType.AXFR or RecordType.IXFR)
        {
            // Not ours (RFC 1035 leaves it open; REFUSED is what authoritative-only servers send);
            // transfers over TCP reach here only when no transfer service took them (Transfer/).
            rcode = ResponseCode.Refused;
        }
        else if (query.QType is RecordType.OPT or RecordType.MAILA or RecordType.MAILB)
        {
            rcode = query.QType == RecordType.OPT ? ResponseCode.FormErr : ResponseCode.NotImp;
        }
        else
        {
            // The thread's own result, not a new one: it is over a kilobyte (sixteen owners and
            // RRsets held by value), and zeroing it took a few percent of a query.
            ref var result = ref LookupScratch.Begin();
            bool minimalAny = context.Transport == Transport.Udp;
            if (!_steering.TrySteer(zone, ref query, context, minimalAny, ref result, ref steering, trace))
            {
                ZoneLookup.Lookup(zone.Zone, query.QName, query.QType, minimalAny, ref result);
            }
            rcode = steering.ServerFailure
                ? ResponseCode.ServFail
                : ResponseBuilder.Write(ref writer, ref result, out authoritative, out truncated);
            noData = result.Kind == LookupKind.NoData;
            result.Release();
        }
        if (_rrl is not null) Classify(ref query, zone, rcode, ref facts, noData);
        return End(ref writer, message, ref query, context, rcode, authoritative, truncated, steering.ScopePrefix, ref facts);
    }

    /// <summary>The RRL class of a reply (BIND's): answers by name and type, NODATA and NXDOMAIN by zone, errors by block.</summary>
    private static void Classify(ref DnsQuery query, ServedZone? zone, ResponseCode rcode, ref ReplyFacts facts, bool noData)
    {
        (facts.RrlClass, facts.RrlKey) = rcode switch
        {
            ResponseCode.NoError when !noData => (ResponseClass.Answer, ResponseRateLimiter.KeyOf(query.QName, (ushort)query.QType)),
            ResponseCode.NoError => (ResponseClass.NoData, ResponseRateLimiter.KeyOf(zone!.Zone.Origin.Wire, 0)),
            ResponseCode.NXDomain => (ResponseClass.NxDomain, ResponseRateLimiter.KeyOf(zone!.Zone.Origin.Wire, 0)),
            _ => (ResponseClass.Error, 0UL),
        };
    }


    private int Error(ReadOnlySpan<byte> message, Span<byte> response, ref DnsQuery query, in RequestContext context, ResponseCode rcode,
        ref ReplyFacts facts)
    {
        if (message.Length < DnsWire.HeaderLength) return 0;
        facts.RrlClass = ResponseClass.Error;
        var writer = Begin(message, response, ref query, context, ref facts);
        return End(ref writer, message, ref query, context, rcode, false, false, 0, ref facts);
    }

    /// <summary>Header, question echo and room for the OPT record.</summary>
    private MessageWriter Begin(ReadOnlySpan<byte> message, Span<byte> response, ref DnsQuery query, in RequestContext context, ref ReplyFacts facts)
    {
        int limit = context.Transport == Transport.Tcp
            ? ushort.MaxValue
            : query.HasEdns ? Math.Clamp((int)query.UdpPayloadSize, 512, Math.Max(512, _options.MaxUdpPayload)) : 512;
        var writer = new MessageWriter(response, limit);
        if (facts.TsigReserve > 0) writer.Reserve(facts.TsigReserve);
        ushort id = message.Length >= 2 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(message) : (ushort)0;
        ushort flags = (ushort)(FlagQR | (query.Opcode << 11));
        if (query.RecursionDesired) flags |= FlagRD;
        if (query.CheckingDisabled) flags |= FlagCD;
        writer.WriteHeader(id, flags);
        if (query.HasEdns)
        {
            writer.Reserve(OptReserve(ref query));
        }
        if (query.QuestionEnd > 0)
        {
            // RFC 1035 §4.1.2: the question is echoed; TC replies keep it too.
            writer.WriteQuestion(message[DnsWire.HeaderLength..query.QuestionEnd], query.QNameLength);
        }
        return writer;
    }

    /// <summary>Room kept free for our OPT record, so answers never push it out (RFC 6891 §7).</summary>
    private int OptReserve(ref DnsQuery query) =>
        OptLength + (query.ClientSubnet.Present ? MaxEcsOptionLength : 0) + (AnswersCookie(ref query) ? CookieOptionLength : 0)
        + (AnswersNsid(ref query) ? 4 + _nsid!.Length : 0);

    private bool AnswersNsid(ref DnsQuery query) => _nsid is not null && query.WantsNsid;

    private bool AnswersCookie(ref DnsQuery query) => _cookies is not null && query.CookieLength > 0;

    private int End(ref MessageWriter writer, ReadOnlySpan<byte> message, ref DnsQuery query, in RequestContext context,
        ResponseCode rcode, bool authoritative, bool truncated, byte scopePrefix, ref ReplyFacts facts)
    {
        facts.Rcode = rcode;
        facts.Truncated = truncated;
        ushort flags = writer.Flags;
        if (authoritative) flags |= FlagAA;
        if (truncated) flags |= FlagTC;
        flags |= (ushort)((ushort)rcode & 0x0f);
        writer.SetFlags(flags);
        if (query.HasEdns)
        {
            writer.Release(OptReserve(ref query));
            Span<byte> options = stackalloc byte[MaxEcsOptionLength + CookieOptionLength + 4 + MaxNsidLength];
            int optionsLength = query.ClientSubnet.Present ? ClientSubnetWriter.Write(options, query.ClientSubnet, scopePrefix) : 0;
            if (AnswersCookie(ref query))
            {
                // RFC 7873 §5.2: every reply to a query with a COOKIE option carries the client cookie and a server cookie.
                var option = options[optionsLength..];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(option, ServerCookies.OptionCode);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(option[2..], ServerCookies.ReplyLength);
                facts.Cookie = _cookies!.Answer(message.Slice(query.CookieOffset, query.CookieLength), context.Client, option[4..]);
                optionsLength += CookieOptionLength;
            }
            if (AnswersNsid(ref query))
            {
                // RFC 5001 §2.3: the server's identifier, in the reply to a query that asked for it.
                var option = options[optionsLength..];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(option, 3);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(option[2..], (ushort)_nsid!.Length);
                _nsid.CopyTo(option[4..]);
                optionsLength += 4 + _nsid.Length;
            }
            writer.WriteOpt((ushort)Math.Max(512, _options.MaxUdpPayload), (byte)((ushort)rcode >> 4), query.DnssecOk, options[..optionsLength]);
        }
        return writer.Finish();
    }

    /// <summary>
    /// RFC 8945 §5.2: checks the request's TSIG (key, then MAC, then time) and notes what the reply
    /// must carry. Kept out of line: a query without TSIG never pays for the record's buffers.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private TsigVerdict CheckTsig(ReadOnlySpan<byte> message, ref DnsQuery query, ref ReplyFacts facts)
    {
        if (!TsigRecord.TryRead(message, query.TsigStart, out var tsig)) return TsigVerdict.FormatError;
        var verdict = TsigSigner.Verify(message, tsig, _tsigKeys.Current, _time.GetUtcNow().ToUnixTimeSeconds(), out var key);
        if (verdict == TsigVerdict.FormatError) return verdict;
        facts.HasTsig = true;
        facts.TsigStart = query.TsigStart;
        facts.Tsig = verdict;
        facts.TsigKey = key;
        facts.TsigMacOffset = tsig.MacOffset;
        facts.TsigMacLength = tsig.MacLength;
        facts.TsigTimeSigned = tsig.TimeSigned;
        facts.TsigReserve = key is null
            ? TsigSigner.RecordLength(tsig.KeyNameLength, tsig.AlgorithmLength, 0, 0)
            : TsigSigner.RecordLength(key);
        return verdict;
    }

    /// <summary>
    /// The reply's TSIG: signed over the request MAC (RFC 8945 §4.3.3); BADTIME signed with the
    /// request's time and ours in Other Data (§5.2.3); BADKEY and BADSIG unsigned (§5.3.2).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int SignReply(ReadOnlySpan<byte> message, Span<byte> response, int length, ref ReplyFacts facts)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (length + facts.TsigReserve > response.Length) return length;
        Span<byte> mac = stackalloc byte[TsigAlgorithm.MaxMacLength];
        var requestMac = message.Slice(facts.TsigMacOffset, facts.TsigMacLength);
        switch (facts.Tsig)
        {
            case TsigVerdict.Valid:
                return TsigSigner.Sign(response, length, facts.TsigKey!, requestMac, now, TsigError.NoError, [], false, mac);
            case TsigVerdict.BadTime:
                Span<byte> serverTime = stackalloc byte[6];
                TsigSigner.WriteTime(serverTime, now);
                return TsigSigner.Sign(response, length, facts.TsigKey!, requestMac, facts.TsigTimeSigned, TsigError.BadTime, serverTime, false, mac);
            default:
                TsigRecord.TryRead(message, facts.TsigStart, out var tsig);
                return TsigSigner.AppendUnsigned(response, length, tsig, now, facts.Tsig == TsigVerdict.BadKey ? TsigError.BadKey : TsigError.BadSig);
        }
    }
}
