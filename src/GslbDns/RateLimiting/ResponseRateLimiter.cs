using System.Buffers.Binary;
using System.Runtime.InteropServices;
using GslbDns.Hosting;
using GslbDns.Pipeline;

namespace GslbDns.RateLimiting;

/// <summary>
/// Response rate limiting with BIND's semantics: one token account per client block (/24, /56) and
/// response class, credited with its rate every second up to one second's worth, charged one per
/// response, and allowed to fall into debt down to window × rate, so a block that flooded stays
/// limited for up to a window after it stops. The accounts live in a table of fixed size
/// allocated at start: a spoofed flood from random addresses overwrites entries rather than
/// growing memory, and the query path neither allocates nor locks (each account is one 64-bit word
/// updated with compare-and-swap; a key word beside it says whose it is, and a race between two
/// blocks on one slot at worst resets an account, which errs on the side of answering).
/// </summary>
public sealed class ResponseRateLimiter
{
    private readonly RrlOptions _options;
    private readonly TimeProvider _time;
    private readonly long _start, _startTicks;
    private readonly int _mask;
    private readonly ulong[] _keys;
    private readonly long[] _accounts;
    private readonly ulong _seed = BinaryPrimitives.ReadUInt64LittleEndian(OsRandom.GetBytes(8));
    private readonly UInt128 _maskV4, _maskV6;
    private readonly IpPrefix[] _exempt;
    private readonly int _answers, _nxdomains, _errors;

    [ThreadStatic]
    private static uint t_limited;

    public ResponseRateLimiter(RrlOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _start = time.GetTimestamp();
        _startTicks = Environment.TickCount64;
        int size = (int)Math.Max(1024, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)options.TableSize));
        _mask = size - 1;
        _keys = new ulong[size];
        _accounts = new long[size];
        // IPv4 is held mapped (::ffff:a.b.c.d), so its block mask covers the 96 bits in front too.
        _maskV4 = UInt128.MaxValue << (32 - options.PrefixV4);
        _maskV6 = options.PrefixV6 == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - options.PrefixV6);
        _exempt = options.Exempt.Select(Exemption).ToArray();
        _answers = options.ResponsesPerSecond;
        _nxdomains = options.NxdomainsPerSecond ?? options.ResponsesPerSecond;
        _errors = options.ErrorsPerSecond ?? options.ResponsesPerSecond;
    }

    public RrlOptions Options => _options;

    /// <summary>
    /// Charges one response of <paramref name="kind"/> (keyed by <paramref name="classKey"/>: a hash of
    /// the name and type, or of the zone) to <paramref name="client"/>'s block and says what to do with it.
    /// </summary>
    public RrlAction Account(in ClientAddress client, ResponseClass kind, ulong classKey)
    {
        int rate = kind switch
        {
            ResponseClass.Answer or ResponseClass.NoData => _answers,
            ResponseClass.NxDomain => _nxdomains,
            ResponseClass.Error => _errors,
            _ => 0,
        };
        if (rate <= 0) return RrlAction.Sent;
        var block = client.Bits & (client.IsIPv4 ? _maskV4 : _maskV6);
        foreach (var exempt in _exempt)
        {
            if (exempt.Contains(client)) return RrlAction.Sent;
        }

        ulong key = Mix(Mix(Mix(_seed ^ (ulong)block, (ulong)(block >> 64)), (ulong)kind), kind == ResponseClass.Error ? 0 : classKey) | 1;
        int slot = (int)(key >> 32) & _mask;
        // Seconds since start, from 1: an account word of 0 means "never used".
        uint now = 1 + Seconds();
        long floor = -(long)_options.WindowSeconds * rate;
        ref long account = ref _accounts[slot];
        long balance;
        while (true)
        {
            long old = Volatile.Read(ref account);
            bool ours = Volatile.Read(ref _keys[slot]) == key;
            uint last = (uint)((ulong)old >> 32);
            long credit = (int)(uint)old;
            if (!ours || old == 0)
            {
                // A new account (or a slot taken over from another block) starts with one second's worth.
                balance = rate - 1;
            }
            else
            {
                long elapsed = (int)(now - last);
                balance = elapsed <= 0 ? credit : Math.Min(rate, credit + elapsed * rate);
                balance = Math.Max(floor, balance - 1);
            }
            long next = (long)((ulong)now << 32 | (uint)(int)balance);
            if (Interlocked.CompareExchange(ref account, next, old) == old)
            {
                if (!ours) Volatile.Write(ref _keys[slot], key);
                break;
            }
        }
        if (balance >= 0) return RrlAction.Sent;
        if (_options.LogOnly) return RrlAction.WouldLimit;
        // Every slip-th limited reply (counted per receiving thread: no shared write) slips.
        return _options.Slip > 0 && ++t_limited % (uint)_options.Slip == 0 ? RrlAction.Slipped : RrlAction.Dropped;
    }

    /// <summary>
    /// Whole seconds since start. On the system clock from <see cref="Environment.TickCount64"/>
    /// (the kernel's coarse clock, a few nanoseconds) rather than a precise timestamp: accounts only
    /// need seconds, and this runs for every UDP reply.
    /// </summary>
    private uint Seconds() => _time == TimeProvider.System
        ? (uint)((Environment.TickCount64 - _startTicks) / 1000)
        : (uint)(_time.GetElapsedTime(_start).Ticks / TimeSpan.TicksPerSecond);

    /// <summary>The key of a name and type (answers) or of a zone (NODATA, NXDOMAIN), for <see cref="Account"/>.</summary>
    public static ulong KeyOf(ReadOnlySpan<byte> name, ushort type)
    {
        // FNV-1a: cheap, and the table key is salted with a per-process seed, so names cannot be picked to collide.
        ulong hash = 14695981039346656037UL;
        foreach (byte b in name) hash = (hash ^ b) * 1099511628211UL;
        return (hash ^ type) * 1099511628211UL;
    }

    /// <summary>The client block of <paramref name="client"/> as text, for logs.</summary>
    public string BlockOf(in ClientAddress client)
    {
        var block = new ClientAddress(client.Bits & (client.IsIPv4 ? _maskV4 : _maskV6), client.IsIPv4);
        return $"{block}/{(client.IsIPv4 ? _options.PrefixV4 : _options.PrefixV6)}";
    }

    private static ulong Mix(ulong h, ulong v)
    {
        h ^= v + 0x9e3779b97f4a7c15UL + (h << 6) + (h >> 2);
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        return h ^ (h >> 33);
    }

    private static IpPrefix Exemption(string cidr) =>
        IpPrefix.TryParse(cidr, out var prefix, out string error) ? prefix : throw new ArgumentException($"--rrl-exempt '{cidr}': {error}");
}
