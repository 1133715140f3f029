using Jevm.Frontend;

namespace Jevm.Ir.Passes;

/// <summary>
/// Marks blocks no execution can reach as removed. Roots: block 0, and — as soon as a reachable block ends in a
/// jump that is dynamic or unresolved — every block that starts with a JUMPDEST (a computed destination may be any of
/// them). Edges: fall-through (unless a JUMPI's condition is known non-zero), and the static destination of a
/// resolved jump (unless a JUMPI's condition is known zero). Removed blocks are never executed, so no gas changes.
/// </summary>
public static class UnreachableBlockRemoval
{
    /// <summary>Marks unreachable blocks; returns how many were newly removed.</summary>
    public static int Run(IrFunction fn)
    {
        var blocks = fn.Blocks;
        if (blocks.Count == 0) return 0;
        var reached = new bool[blocks.Count];
        var work = new int[blocks.Count];
        int top = 0;
        bool jumpDestsAdded = false;
        reached[0] = true;
        work[top++] = 0;
        while (top > 0)
        {
            var b = blocks[work[--top]];
            if (b.FallsThroughTo >= 0) Visit(b.FallsThroughTo);
            if (b.JumpsStaticallyTo >= 0) Visit(b.JumpsStaticallyTo);
            if (b.JumpsDynamically && !jumpDestsAdded)
            {
                jumpDestsAdded = true;
                for (int i = 0; i < blocks.Count; i++)
                    if ((blocks[i].Summary.Flags & BlockFlags.JumpDest) != 0) Visit(i);
            }
        }
        int removed = 0;
        for (int i = 0; i < blocks.Count; i++)
        {
            if (reached[i] || blocks[i].IsRemoved) continue;
            blocks[i].IsRemoved = true;
            removed++;
        }
        return removed;

        void Visit(int i)
        {
            if (reached[i]) return;
            reached[i] = true;
            work[top++] = i;
        }
    }
}
