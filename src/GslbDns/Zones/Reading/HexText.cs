namespace GslbDns.Zones.Reading;

internal static class HexText
{
    public static bool TryDecode(string text, out byte[] octets, out string error)
    {
        octets = [];
        if (text.Length % 2 != 0)
        {
            error = $"hex data has an odd number of digits ({text.Length})";
            return false;
        }
        var result = new byte[text.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            int high = Digit(text[2 * i]), low = Digit(text[2 * i + 1]);
            if (high < 0 || low < 0)
            {
                char bad = high < 0 ? text[2 * i] : text[2 * i + 1];
                error = $"'{bad}' is not a hex digit";
                return false;
            }
            result[i] = (byte)(high << 4 | low);
        }
        octets = result;
        error = "";
        return true;
    }

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
