namespace Jevm.Encoding;

/// <summary>Hex helpers that reject malformed input with a message naming the problem.</summary>
public static class Hex
{
    /// <summary>
    /// Decodes hex ("0x" prefix optional, surrounding white space ignored). Throws <see cref="FormatException"/>
    /// naming the first bad character or an odd length.
    /// </summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        if (!TryDecode(text, out var bytes, out var error)) throw new FormatException(error);
        return bytes;
    }

    /// <summary>Decodes hex without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, out string error)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        bytes = [];
        if ((text.Length & 1) != 0)
        {
            error = $"invalid hex: odd number of digits ({text.Length})";
            return false;
        }
        var result = new byte[text.Length / 2];
        for (int i = 0; i < text.Length; i += 2)
        {
            int hi = Digit(text[i]), lo = Digit(text[i + 1]);
            if (hi < 0 || lo < 0)
            {
                int bad = hi < 0 ? i : i + 1;
                error = $"invalid hex: character '{text[bad]}' at position {bad}";
                return false;
            }
            result[i / 2] = (byte)((hi << 4) | lo);
        }
        bytes = result;
        error = "";
        return true;
    }

    /// <summary>Lower-case hex with a "0x" prefix.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
        => prefix ? "0x" + Convert.ToHexStringLower(bytes) : Convert.ToHexStringLower(bytes);

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
