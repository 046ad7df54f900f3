using System.Buffers.Binary;
using System.Security.Cryptography;
using GslbDns.Pipeline;
using Org.BouncyCastle.Crypto.Macs;

namespace GslbDns.Cookies;

/// <summary>What a query's COOKIE option turned out to be (RFC 7873 §5.2).</summary>
public enum CookieVerdict : byte
{
    /// <summary>The query had no COOKIE option.</summary>
    None,

    /// <summary>A client cookie alone: the reply teaches a fresh server cookie.</summary>
    ClientOnly,

    /// <summary>A server cookie this deployment made for this client and address, within its lifetime.</summary>
    Valid,

    /// <summary>A server cookie that is not ours, expired, from another address or of another version.</summary>
    Invalid,
}

/// <summary>
/// Interoperable server cookies (RFC 9018): version 1, three reserved octets, a 32-bit timestamp and
/// SipHash-2-4 (BouncyCastle's, already a dependency through ARSoft.Tools.Net) over the client
/// cookie, version, reserved octets, timestamp and client address, keyed with a 128-bit secret that
/// every instance of a deployment shares, so any of them validates any other's cookie. Runs on the
/// query path: each thread keeps its own keyed SipHash instances, so nothing is allocated or locked.
/// The secrets can be replaced while serving (<see cref="Publish"/>, one reference write): each
/// thread notices the new object on its next cookie and re-keys once; until then nothing changes.
/// </summary>
public sealed class ServerCookies(CookieSecrets secrets, TimeProvider time)
{
    private volatile CookieSecrets _secrets = secrets;

    public const ushort OptionCode = 10;
    public const int ClientLength = 8;
    public const int ServerLength = 16;

    /// <summary>Client cookie plus our server cookie: what every reply carries.</summary>
    public const int ReplyLength = ClientLength + ServerLength;

    /// <summary>RFC 9018 §4.3: a cookie is good for an hour, renewed after half an hour, and may come from 5 minutes ahead.</summary>
    private const int Lifetime = 3600, RenewAfter = 1800, Skew = 300;

    private const byte Version = 1;

    [ThreadStatic]
    private static (CookieSecrets Owner, SipHash[] Macs)? t_macs;

    /// <summary>The secrets in force.</summary>
    public CookieSecrets Secrets => _secrets;

    /// <summary>Puts new secrets in force: the first signs from now on, all of them verify.</summary>
    public void Publish(CookieSecrets next) => _secrets = next;

    /// <summary>
    /// Checks the query's COOKIE option data (8 bytes, or 16 to 40: the parser rejected other lengths)
    /// and writes the reply's option data, <see cref="ReplyLength"/> bytes, into <paramref name="reply"/>:
    /// the client cookie and either the server cookie received (valid and not yet half an hour old) or a new one.
    /// </summary>
    public CookieVerdict Answer(ReadOnlySpan<byte> cookie, in ClientAddress client, Span<byte> reply) =>
        Answer(cookie, client, Now(), reply);

    internal CookieVerdict Answer(ReadOnlySpan<byte> cookie, in ClientAddress client, uint now, Span<byte> reply)
    {
        // One read of the secrets for the whole query: verified and made with the same version.
        var macs = Macs(_secrets);
        var clientCookie = cookie[..ClientLength];
        clientCookie.CopyTo(reply);
        var verdict = CookieVerdict.ClientOnly;
        if (cookie.Length > ClientLength)
        {
            verdict = Verify(macs, cookie, client, now, out int age) ? CookieVerdict.Valid : CookieVerdict.Invalid;
            if (verdict == CookieVerdict.Valid && age < RenewAfter)
            {
                cookie.Slice(ClientLength, ServerLength).CopyTo(reply[ClientLength..]);
                return verdict;
            }
        }
        Make(macs[0], clientCookie, client, now, reply.Slice(ClientLength, ServerLength));
        return verdict;
    }

    /// <summary>A new server cookie for <paramref name="clientCookie"/> at <paramref name="now"/>, signed with the first secret.</summary>
    internal void Make(ReadOnlySpan<byte> clientCookie, in ClientAddress client, uint now, Span<byte> server) =>
        Make(Macs(_secrets)[0], clientCookie, client, now, server);

    private static void Make(SipHash signer, ReadOnlySpan<byte> clientCookie, in ClientAddress client, uint now, Span<byte> server)
    {
        server[0] = Version;
        server[1] = server[2] = server[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(server[4..], now);
        Hash(signer, clientCookie, server[..8], client, server.Slice(8, 8));
    }

    private static bool Verify(SipHash[] macs, ReadOnlySpan<byte> cookie, in ClientAddress client, uint now, out int age)
    {
        age = 0;
        if (cookie.Length != ReplyLength || cookie[ClientLength] != Version) return false;
        var server = cookie.Slice(ClientLength, ServerLength);
        // Serial number arithmetic on the 32-bit timestamp (RFC 1982), so the 2106 wrap is harmless.
        age = (int)(now - BinaryPrimitives.ReadUInt32BigEndian(server[4..]));
        if (age > Lifetime || age < -Skew) return false;
        Span<byte> expected = stackalloc byte[8];
        foreach (var mac in macs)
        {
            // The reserved octets as received are part of the hash (RFC 9018 §4.2).
            Hash(mac, cookie[..ClientLength], server[..8], client, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, server[8..])) return true;
        }
        return false;
    }

    private static void Hash(SipHash mac, ReadOnlySpan<byte> clientCookie, ReadOnlySpan<byte> header, in ClientAddress client, Span<byte> output)
    {
        Span<byte> address = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(address, client.Bits);
        mac.BlockUpdate(clientCookie);
        mac.BlockUpdate(header);
        mac.BlockUpdate(client.IsIPv4 ? address[12..] : address);
        // DoFinal writes the 64-bit result little-endian, as SipHash defines its output, and resets to the keyed state.
        mac.DoFinal(output);
    }

    /// <summary>
    /// This thread's SipHash per secret of <paramref name="secrets"/>, keyed once per thread and
    /// secrets object (keying allocates; hashing does not), so a reload costs each thread one re-key.
    /// </summary>
    private static SipHash[] Macs(CookieSecrets secrets)
    {
        if (t_macs is { } cached && ReferenceEquals(cached.Owner, secrets)) return cached.Macs;
        var macs = secrets.Keys.Select(key =>
        {
            var mac = new SipHash(2, 4);
            mac.Init(key);
            return mac;
        }).ToArray();
        t_macs = (secrets, macs);
        return macs;
    }

    private uint Now() => (uint)time.GetUtcNow().ToUnixTimeSeconds();
}
