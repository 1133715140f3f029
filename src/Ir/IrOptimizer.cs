using Jevm.Ir.Passes;

namespace Jevm.Ir;

/// <summary>What the passes changed.</summary>
/// <param name="Folded">Nodes constant-folded.</param>
/// <param name="JumpsResolved">Jumps with a constant destination (valid or not).</param>
/// <param name="BlocksRemoved">Blocks proved unreachable.</param>
/// <param name="NodesRemoved">Dead pure nodes removed.</param>
/// <param name="EntryConstants">Block parameters proved constant across blocks.</param>
public readonly record struct IrOptimizationStats(int Folded, int JumpsResolved, int BlocksRemoved, int NodesRemoved, int EntryConstants = 0);

/// <summary>
/// Runs the standard pass pipeline: constant folding, static jump resolution, unreachable-block removal, then entry
/// constant propagation (and, when it proved any, folding, resolution and removal again), and dead-value elimination.
/// </summary>
public static class IrOptimizer
{
    /// <summary>Optimises <paramref name="fn"/> in place.</summary>
    public static IrOptimizationStats Run(IrFunction fn, int foldBudget = ConstantFolding.DefaultBudget)
    {
        int folded = ConstantFolding.Run(fn, foldBudget);
        int jumps = StaticJumpResolution.Run(fn);
        int blocks = UnreachableBlockRemoval.Run(fn);
        int entry = EntryConstantPropagation.Run(fn);
        if (entry > 0)
        {
            folded += ConstantFolding.Run(fn, foldBudget);
            jumps = StaticJumpResolution.Run(fn);
            blocks += UnreachableBlockRemoval.Run(fn);
        }
        int nodes = DeadValueElimination.Run(fn);
        return new IrOptimizationStats(folded, jumps, blocks, nodes, entry);
    }
}
