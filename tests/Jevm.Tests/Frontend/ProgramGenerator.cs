using Jevm.Evm;

namespace Jevm.Tests.Frontend;

/// <summary>
/// Generates structured random bytecode from a seed: straight-line runs of pushes, arithmetic, DUP/SWAP/POP, memory
/// and gas instructions, separated by JUMPDEST labels, with forward and backward static jumps (PUSH label; JUMP/JUMPI),
/// computed jumps (PUSH a; PUSH b; ADD; JUMP), dynamic jumps (CALLDATALOAD; JUMP), halts and the odd garbage byte.
/// </summary>
internal static class ProgramGenerator
{
    private static readonly byte[] s_plain =
    [
        OpcodeTable.ADD, OpcodeTable.MUL, OpcodeTable.SUB, OpcodeTable.DIV, OpcodeTable.SDIV, OpcodeTable.MOD,
        OpcodeTable.EXP, OpcodeTable.LT, OpcodeTable.GT, OpcodeTable.SLT, OpcodeTable.EQ, OpcodeTable.ISZERO,
        OpcodeTable.AND, OpcodeTable.OR, OpcodeTable.XOR, OpcodeTable.NOT, OpcodeTable.BYTE, OpcodeTable.SHL,
        OpcodeTable.SHR, OpcodeTable.SAR, OpcodeTable.SIGNEXTEND, OpcodeTable.ADDMOD, OpcodeTable.MULMOD,
        OpcodeTable.POP, OpcodeTable.DUP1, OpcodeTable.DUP1 + 2, OpcodeTable.SWAP1, OpcodeTable.SWAP1 + 1,
        OpcodeTable.MLOAD, OpcodeTable.MSTORE, OpcodeTable.SLOAD, OpcodeTable.SSTORE, OpcodeTable.GAS, OpcodeTable.PC,
        OpcodeTable.CALLDATALOAD, OpcodeTable.CALLER, OpcodeTable.KECCAK256, OpcodeTable.CALL, OpcodeTable.LOG0 + 1,
        OpcodeTable.PUSH0, OpcodeTable.TLOAD,
    ];

    public static byte[] Generate(int seed, int labels = 6)
    {
        var rng = new Random(seed);
        var code = new List<byte>();
        var labelPcs = new int[labels];
        var fixups = new List<(int At, int Label)>();
        for (int l = 0; l < labels; l++)
        {
            if (l > 0 || rng.Next(2) == 0) { labelPcs[l] = code.Count; code.Add(OpcodeTable.JUMPDEST); }
            int ops = rng.Next(0, 12);
            for (int k = 0; k < ops; k++)
            {
                int r = rng.Next(10);
                if (r < 4)
                {
                    int n = rng.Next(1, 5) == 1 ? 32 : rng.Next(1, 4);
                    code.Add((byte)(OpcodeTable.PUSH1 + n - 1));
                    for (int b = 0; b < n; b++) code.Add((byte)rng.Next(256));
                }
                else code.Add(s_plain[rng.Next(s_plain.Length)]);
            }
            switch (rng.Next(9))
            {
                case 0: case 1: // static JUMP or JUMPI to a label, fixed up later
                    code.Add(OpcodeTable.PUSH1 + 1);
                    fixups.Add((code.Count, rng.Next(labels)));
                    code.Add(0); code.Add(0);
                    code.Add(rng.Next(2) == 0 ? OpcodeTable.JUMP : OpcodeTable.JUMPI);
                    break;
                case 2: // computed destination: label - 1 + 1
                    code.Add(OpcodeTable.PUSH1); code.Add(1);
                    code.Add(OpcodeTable.PUSH1 + 1);
                    fixups.Add((-code.Count - 1, rng.Next(labels)));
                    code.Add(0); code.Add(0);
                    code.Add(OpcodeTable.ADD);
                    code.Add((byte)(OpcodeTable.JUMPI - rng.Next(2)));
                    break;
                case 3:
                    code.Add(OpcodeTable.CALLDATALOAD); code.Add(OpcodeTable.JUMP);
                    break;
                case 4: code.Add(OpcodeTable.STOP); break;
                case 5: code.Add(OpcodeTable.PUSH1); code.Add(0); code.Add(OpcodeTable.DUP1); code.Add(OpcodeTable.RETURN); break;
                case 6: code.Add((byte)rng.Next(256)); break;
                default: break; // fall through into the next label
            }
        }
        foreach (var (at, label) in fixups)
        {
            // A negative position marks a "label - 1" immediate (the ADD adds the 1 back).
            int pos = at >= 0 ? at : -at - 1;
            int value = labelPcs[label] - (at >= 0 ? 0 : 1);
            if (value < 0) value = 0;
            code[pos] = (byte)(value >> 8);
            code[pos + 1] = (byte)value;
        }
        return [.. code];
    }
}
