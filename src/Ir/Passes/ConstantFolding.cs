using Jevm.Evm;
using Jevm.Numerics;

namespace Jevm.Ir.Passes;

/// <summary>
/// Evaluates pure nodes whose operands are all constants, with the runtime's own <see cref="UInt256"/> operations
/// (never a second copy of the semantics). The result value becomes a constant, so every user sees it; the node is
/// removed, except EXP, which stays (flagged <see cref="IrNodeFlags.ResultFolded"/>) because it charges dynamic gas.
/// Block static gas is untouched.
/// </summary>
/// <remarks>
/// Folding is bounded by a work budget per function: each fold costs about the number of 64-bit multiplications it
/// performs (EXP: one per exponent bit; MULMOD/ADDMOD: a BigInteger round-trip), so an adversarial chain of EXPs
/// cannot stall compilation; once the budget is spent the rest is left to run time.
/// </remarks>
public static class ConstantFolding
{
    /// <summary>The default work budget per function.</summary>
    public const int DefaultBudget = 1 << 16;

    /// <summary>Folds what it can within <paramref name="budget"/> work units; returns the number of nodes folded.</summary>
    public static int Run(IrFunction fn, int budget = DefaultBudget)
    {
        int folded = 0;
        Span<UInt256> args = stackalloc UInt256[3];
        foreach (var block in fn.Blocks)
        {
            if (block.IsRemoved) continue;
            for (int i = block.FirstNode; i < block.FirstNode + block.NodeCount; i++)
            {
                ref var node = ref fn.NodeRef(i);
                if (node.Kind != IrNodeKind.Pure || (node.Flags & IrNodeFlags.ResultFolded) != 0) continue;
                var operands = fn.OperandsOf(node);
                if (operands.Length > args.Length) continue;
                bool allConstant = true;
                for (int k = 0; k < operands.Length; k++)
                {
                    ref readonly var v = ref fn.Values[operands[k]];
                    if (!v.IsConstant) { allConstant = false; break; }
                    args[k] = v.Constant;
                }
                if (!allConstant) continue;
                int cost = Cost(node.Opcode, args);
                if (cost > budget) continue;
                if (!TryEvaluate(node.Opcode, args, out var value)) continue;
                budget -= cost;
                ref var result = ref fn.ValueRef(node.Result);
                result = result with { Kind = IrValueKind.Constant, Index = -1, Constant = value };
                node = (node.Flags & IrNodeFlags.DynamicGas) != 0
                    ? node with { Flags = node.Flags | IrNodeFlags.ResultFolded }
                    : node with { Kind = IrNodeKind.Removed };
                folded++;
            }
        }
        return folded;
    }

    private static int Cost(byte op, ReadOnlySpan<UInt256> a) => op switch
    {
        OpcodeTable.EXP => 1 + 2 * (256 - UInt256.LeadingZeroCount(a[1])),
        OpcodeTable.ADDMOD or OpcodeTable.MULMOD => 16,
        OpcodeTable.MUL or OpcodeTable.DIV or OpcodeTable.SDIV or OpcodeTable.MOD or OpcodeTable.SMOD => 4,
        _ => 1,
    };

    /// <summary>
    /// Evaluates a pure opcode on constant operands (operand 0 = top of stack) with <see cref="UInt256"/>'s
    /// semantics. False for an opcode this pass does not know.
    /// </summary>
    public static bool TryEvaluate(byte op, ReadOnlySpan<UInt256> a, out UInt256 r)
    {
        switch (op)
        {
            case OpcodeTable.ADD: UInt256.Add(a[0], a[1], out r); return true;
            case OpcodeTable.MUL: UInt256.Multiply(a[0], a[1], out r); return true;
            case OpcodeTable.SUB: UInt256.Subtract(a[0], a[1], out r); return true;
            case OpcodeTable.DIV: UInt256.Divide(a[0], a[1], out r); return true;
            case OpcodeTable.SDIV: UInt256.SignedDivide(a[0], a[1], out r); return true;
            case OpcodeTable.MOD: UInt256.Mod(a[0], a[1], out r); return true;
            case OpcodeTable.SMOD: UInt256.SignedMod(a[0], a[1], out r); return true;
            case OpcodeTable.ADDMOD: UInt256.AddMod(a[0], a[1], a[2], out r); return true;
            case OpcodeTable.MULMOD: UInt256.MulMod(a[0], a[1], a[2], out r); return true;
            case OpcodeTable.EXP: UInt256.Exp(a[0], a[1], out r); return true;
            case OpcodeTable.SIGNEXTEND: UInt256.SignExtend(a[0], a[1], out r); return true;
            case OpcodeTable.LT: r = UInt256.LessThan(a[0], a[1]) ? UInt256.One : UInt256.Zero; return true;
            case OpcodeTable.GT: r = UInt256.LessThan(a[1], a[0]) ? UInt256.One : UInt256.Zero; return true;
            case OpcodeTable.SLT: r = UInt256.SignedLessThan(a[0], a[1]) ? UInt256.One : UInt256.Zero; return true;
            case OpcodeTable.SGT: r = UInt256.SignedLessThan(a[1], a[0]) ? UInt256.One : UInt256.Zero; return true;
            case OpcodeTable.EQ: r = a[0] == a[1] ? UInt256.One : UInt256.Zero; return true;
            case OpcodeTable.ISZERO: r = a[0].IsZero ? UInt256.One : UInt256.Zero; return true;
            case OpcodeTable.AND: UInt256.And(a[0], a[1], out r); return true;
            case OpcodeTable.OR: UInt256.Or(a[0], a[1], out r); return true;
            case OpcodeTable.XOR: UInt256.Xor(a[0], a[1], out r); return true;
            case OpcodeTable.NOT: UInt256.Not(a[0], out r); return true;
            case OpcodeTable.BYTE: UInt256.Byte(a[0], a[1], out r); return true;
            case OpcodeTable.SHL: UInt256.ShiftLeft(a[0], a[1], out r); return true;
            case OpcodeTable.SHR: UInt256.ShiftRight(a[0], a[1], out r); return true;
            case OpcodeTable.SAR: UInt256.ArithmeticShiftRight(a[0], a[1], out r); return true;
            case OpcodeTable.CLZ: r = (ulong)UInt256.LeadingZeroCount(a[0]); return true;
            default: r = default; return false;
        }
    }
}
