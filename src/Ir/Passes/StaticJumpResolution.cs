namespace Jevm.Ir.Passes;

/// <summary>
/// Resolves JUMP/JUMPI whose destination is a constant: to a direct edge (<see cref="JumpResolution.Static"/>) when
/// it names a valid JUMPDEST (per the shared <see cref="Evm.Analysis.JumpDestMap"/>), else to a known failure
/// (<see cref="JumpResolution.InvalidTarget"/>). A JUMPI whose condition is a constant records it in
/// <see cref="IrBlock.KnownCondition"/>. Everything else becomes <see cref="JumpResolution.Dynamic"/>.
/// Runs best after constant folding, which turns computed destinations into constants. Changes no gas.
/// </summary>
public static class StaticJumpResolution
{
    /// <summary>Resolves every jump; returns the number resolved statically (valid or invalid).</summary>
    public static int Run(IrFunction fn)
    {
        int resolved = 0;
        foreach (var block in fn.Blocks)
        {
            if (block.IsRemoved || block.Jump == JumpResolution.None || block.NodeCount == 0) continue;
            ref readonly var node = ref fn.Nodes[block.FirstNode + block.NodeCount - 1];
            if (node.Kind is not (IrNodeKind.Jump or IrNodeKind.JumpI)) continue;
            var operands = fn.OperandsOf(node);
            ref readonly var target = ref fn.Values[operands[0]];
            block.KnownCondition = null;
            if (node.Kind == IrNodeKind.JumpI && fn.Values[operands[1]].IsConstant)
                block.KnownCondition = !fn.Values[operands[1]].Constant.IsZero;
            if (!target.IsConstant)
            {
                block.Jump = JumpResolution.Dynamic;
                block.TakenBlock = -1;
                continue;
            }
            var dest = target.Constant;
            int taken = dest.FitsInUInt64 ? fn.Analysis.BlockAtJumpDest(dest.U0) : -1;
            block.Jump = taken >= 0 ? JumpResolution.Static : JumpResolution.InvalidTarget;
            block.TakenBlock = taken;
            resolved++;
        }
        return resolved;
    }
}
