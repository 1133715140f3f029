namespace Jevm.Ir.Passes;

/// <summary>
/// Removes pure nodes whose result no live node uses and that is not on the block's exit stack (the EVM popped it).
/// Nodes that charge dynamic gas (EXP) are kept: removing an instruction must never remove gas. One backward walk
/// per block suffices because operands are always defined before their users.
/// </summary>
public static class DeadValueElimination
{
    /// <summary>Removes dead pure nodes; returns how many.</summary>
    public static int Run(IrFunction fn)
    {
        var uses = new int[fn.Values.Length];
        foreach (var block in fn.Blocks)
        {
            if (block.IsRemoved) continue;
            foreach (ref readonly var n in fn.NodesOf(block))
                if (n.Kind != IrNodeKind.Removed)
                    foreach (int v in fn.OperandsOf(n)) uses[v]++;
            foreach (int v in block.Outputs) uses[v]++;
        }
        int removed = 0;
        foreach (var block in fn.Blocks)
        {
            if (block.IsRemoved) continue;
            for (int i = block.FirstNode + block.NodeCount - 1; i >= block.FirstNode; i--)
            {
                ref var n = ref fn.NodeRef(i);
                if (n.Kind != IrNodeKind.Pure || (n.Flags & IrNodeFlags.DynamicGas) != 0) continue;
                if (n.Result >= 0 && uses[n.Result] > 0) continue;
                foreach (int v in fn.OperandsOf(n)) uses[v]--;
                n = n with { Kind = IrNodeKind.Removed };
                removed++;
            }
        }
        return removed;
    }
}
