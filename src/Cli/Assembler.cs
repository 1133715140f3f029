using System.Globalization;
using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Cli;

/// <summary>
/// A tiny EVM assembler for demos and tests: mnemonics from <see cref="OpcodeTable"/> separated by white space,
/// <c>PUSHn value</c> (hex or decimal), <c>:name</c> for a JUMPDEST with a label, and <c>PUSH :name</c> for a PUSH2 of
/// a label's address. <c>//</c> starts a comment to the end of the line.
/// </summary>
internal static class Assembler
{
    private static readonly Dictionary<string, OpcodeInfo> s_byName = Build();

    private static Dictionary<string, OpcodeInfo> Build()
    {
        var d = new Dictionary<string, OpcodeInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var info in OpcodeTable.All) d[info.Name] = info;
        return d;
    }

    public static byte[] Assemble(string source)
    {
        var tokens = new List<string>();
        foreach (var line in source.Split('\n'))
        {
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            tokens.AddRange((comment >= 0 ? line[..comment] : line).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        var code = new List<byte>();
        var labels = new Dictionary<string, int>();
        var fixups = new List<(int At, string Label)>();
        for (int i = 0; i < tokens.Count; i++)
        {
            string t = tokens[i];
            if (t.StartsWith(':'))
            {
                labels[t[1..]] = code.Count;
                code.Add(OpcodeTable.JUMPDEST);
                continue;
            }
            if (t.Equals("PUSH", StringComparison.OrdinalIgnoreCase))
            {
                if (i + 1 >= tokens.Count || !tokens[i + 1].StartsWith(':')) throw new FormatException("PUSH needs a :label");
                code.Add(0x61); // PUSH2
                fixups.Add((code.Count, tokens[++i][1..]));
                code.Add(0);
                code.Add(0);
                continue;
            }
            if (!s_byName.TryGetValue(t, out var info)) throw new FormatException($"unknown mnemonic '{t}'");
            code.Add(info.Code);
            if (info.ImmediateSize > 0)
            {
                if (i + 1 >= tokens.Count) throw new FormatException($"{t} needs a value");
                string v = tokens[++i];
                if (!UInt256.TryParse(v, out var value, allowDecimal: !v.StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
                    throw new FormatException($"bad number '{v}' after {t}");
                var word = new byte[32];
                value.WriteBigEndian(word);
                if (UInt256.ByteLength(value) > info.ImmediateSize) throw new FormatException($"{v} does not fit {t}");
                code.AddRange(word[(32 - info.ImmediateSize)..]);
            }
        }
        foreach (var (at, label) in fixups)
        {
            if (!labels.TryGetValue(label, out int target)) throw new FormatException($"unknown label ':{label}'");
            code[at] = (byte)(target >> 8);
            code[at + 1] = (byte)target;
        }
        return code.ToArray();
    }

    /// <summary>Formats a number for messages.</summary>
    public static string Decimal(in UInt256 v) => v.ToBigInteger().ToString(CultureInfo.InvariantCulture);
}
