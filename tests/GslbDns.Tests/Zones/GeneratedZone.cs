using System.Globalization;
using System.Text;

namespace GslbDns.Tests.Zones;

/// <summary>
/// A deterministic zone of mixed types in the shape of bench/scale's generated zone: A, AAAA,
/// CNAME, MX pairs, two-string TXT, SRV, out-of-zone delegations and delegations with glue, plus
/// a wildcard and a few names written with upper-case letters and blank owners.
/// </summary>
internal static class GeneratedZone
{
    public static string Text(int records, int seed)
    {
        var rng = new Random(seed);
        var text = new StringBuilder();
        text.Append("$ORIGIN big.test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n")
            .Append("@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 192.0.2.54\n*.wild A 192.0.2.99\n");
        int n = 6;
        for (int i = 1; n < records; i++)
        {
            double x = rng.NextDouble();
            string name = i % 97 == 0 ? $"H{i}" : $"h{i}";
            string ic(int v) => v.ToString(CultureInfo.InvariantCulture);
            if (x < 0.40) { text.Append($"{name} A {10 + i % 200}.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n"); n++; }
            else if (x < 0.55) { text.Append($"{name} AAAA 2001:db8:{(i >> 16) & 0xffff:x}:{i & 0xffff:x}::1\n"); n++; }
            else if (x < 0.67) { text.Append($"{name} CNAME h{ic(rng.Next(1, Math.Max(2, i)))}\n"); n++; }
            else if (x < 0.75) { text.Append($"{name} MX 10 mx{ic(i % 50)}.mail.example.net.\n  MX 20 h{ic(rng.Next(1, i + 1))}\n"); n += 2; }
            else if (x < 0.87) { text.Append($"{name} 600 IN TXT \"v=spf1 ip4:10.{ic(i & 255)}.0.0/16 -all\" \"id={rng.NextInt64():x16}\"\n"); n++; }
            else if (x < 0.92) { text.Append($"_sip._tcp.{name} SRV 10 5 5060 h{ic(rng.Next(1, i + 1))}\n"); n++; }
            else if (x < 0.98) { text.Append($"{name} NS ns1.dns{ic(i % 97)}.example.net.\n{name} NS ns2.dns{ic(i % 97)}.example.net.\n"); n += 2; }
            else
            {
                text.Append($"{name} NS ns1.{name}\n{name} NS ns2.{name}\nns1.{name} A 192.0.2.{ic(i % 250 + 1)}\n")
                    .Append($"ns2.{name} A 198.51.100.{ic(i % 250 + 1)}\n");
                n += 4;
            }
        }
        return text.ToString();
    }
}
