using System.Runtime.CompilerServices;

namespace Jevm.Evm.Analysis;

/// <summary>
/// Which byte offsets of a code are valid JUMPDESTs: a 0x5B byte that is an instruction, not PUSH data. Shared by every
/// engine and the frontend, so they cannot disagree about jump validity.
/// </summary>
public sealed class JumpDestMap
{
    private readonly ulong[] _bits;

    /// <summary>The analysed code's length in bytes.</summary>
    public int CodeLength { get; }

    private JumpDestMap(ulong[] bits, int codeLength) { _bits = bits; CodeLength = codeLength; }

    /// <summary>Scans <paramref name="code"/> once, skipping PUSH immediates (a truncated PUSH at the end is zero-padded).</summary>
    public static JumpDestMap Analyze(ReadOnlySpan<byte> code)
    {
        var bits = new ulong[(code.Length + 63) >> 6];
        for (int pc = 0; pc < code.Length; pc++)
        {
            byte op = code[pc];
            if (op == OpcodeTable.JUMPDEST) bits[pc >> 6] |= 1UL << (pc & 63);
            else if ((uint)(op - OpcodeTable.PUSH1) <= OpcodeTable.PUSH32 - OpcodeTable.PUSH1) pc += op - OpcodeTable.PUSH1 + 1;
        }
        return new JumpDestMap(bits, code.Length);
    }

    /// <summary>True when <paramref name="offset"/> is a valid jump destination.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValid(ulong offset) => offset < (ulong)CodeLength && (_bits[offset >> 6] & (1UL << (int)(offset & 63))) != 0;

    /// <summary>Number of valid JUMPDESTs.</summary>
    public int Count
    {
        get
        {
            int n = 0;
            foreach (var w in _bits) n += System.Numerics.BitOperations.PopCount(w);
            return n;
        }
    }
}
