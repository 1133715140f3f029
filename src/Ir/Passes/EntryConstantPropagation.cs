using Jevm.Frontend;
using Jevm.Numerics;

namespace Jevm.Ir.Passes;

/// <summary>
/// Proves block-entry stack slots constant across blocks and turns the parameters that read them into constants:
/// a forward dataflow over the top <see cref="TrackedSlots"/> entry slots of every block (unknown → one constant →
/// varying), along fall-through and resolved static edges. Code like a hand-written hash keeps its masks and
/// multipliers on the stack for a whole loop; once they are constants, folding and the code generator's constant
/// forms apply to them.
/// </summary>
/// <remarks>
/// Sound because the edges over-approximate control flow: a block that starts with a JUMPDEST gets "varying" in every
/// slot as soon as any reachable jump is computed (it may arrive from anywhere), and the entry block's stack is empty
/// (a slot that does not exist on some path constrains nothing: a block that reads it fails its stack check on that
/// path before running). Slots deeper than <see cref="TrackedSlots"/> are varying. Changes no gas and no node; run it
/// after jump resolution and unreachable-block removal, then fold and resolve again.
/// </remarks>
public static class EntryConstantPropagation
{
    /// <summary>How many entry slots per block are tracked (SWAP16 reaches the 17th).</summary>
    public const int TrackedSlots = 17;

    private const int Unknown = -1, Varying = -2;

    /// <summary>Substitutes proven constants for parameters; returns how many parameters became constants.</summary>
    public static int Run(IrFunction fn)
    {
        var blocks = fn.Blocks;
        int n = blocks.Count;
        if (n == 0) return 0;
        // state[b * K + k]: what entry slot k of block b holds — Unknown, Varying, or an index into fn's constants.
        const int K = TrackedSlots;
        var state = new int[n * K];
        Array.Fill(state, Unknown);
        bool anyComputedJump = false;
        foreach (var b in blocks)
            if (!b.IsRemoved && b.JumpsDynamically) anyComputedJump = true;
        var queued = new bool[n];
        var visited = new bool[n];
        var work = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            if (blocks[i].IsRemoved) continue;
            if (anyComputedJump && (blocks[i].Summary.Flags & BlockFlags.JumpDest) != 0)
            {
                // A computed jump may land here with anything on the stack; what follows must hear of it.
                Array.Fill(state, Varying, i * K, K);
                work.Push(i);
                queued[i] = visited[i] = true;
            }
        }
        // Block 0 starts on an empty stack: every slot stays Unknown (nothing there to read).
        work.Push(0);
        queued[0] = visited[0] = true;
        var exit = new int[K];
        while (work.Count > 0)
        {
            int bi = work.Pop();
            queued[bi] = false;
            var b = blocks[bi];
            if (b.IsRemoved) continue;
            // The exit stack: Outputs on top, then the entry slots below the ones the block read, unchanged.
            var outputs = b.Outputs;
            int need = b.ParameterCount;
            for (int k = 0; k < K; k++)
            {
                if (k < outputs.Length) exit[k] = Describe(fn, b, outputs[k], state, bi * K);
                else
                {
                    int slot = k - outputs.Length + need;
                    exit[k] = slot < K ? state[bi * K + slot] : Varying;
                }
            }
            if (b.FallsThroughTo >= 0) Flow(b.FallsThroughTo);
            if (b.JumpsStaticallyTo >= 0) Flow(b.JumpsStaticallyTo);
        }

        int substituted = 0;
        for (int i = 0; i < n; i++)
        {
            var b = blocks[i];
            if (b.IsRemoved) continue;
            for (int k = 0; k < Math.Min(b.ParameterCount, K); k++)
            {
                int c = state[i * K + k];
                if (c < 0) continue;
                ref var v = ref fn.ValueRef(b.FirstParameter + k);
                v = v with { Kind = IrValueKind.Constant, Index = fn.AddConstant(fn.Constants[c]) };
                substituted++;
            }
        }
        return substituted;

        void Flow(int target)
        {
            if (blocks[target].IsRemoved) return;
            bool changed = false;
            int at = target * K;
            for (int k = 0; k < K; k++)
            {
                int old = state[at + k], merged = Meet(fn, old, exit[k]);
                if (merged == old) continue;
                state[at + k] = merged;
                changed = true;
            }
            // The first visit always propagates (a block reached on an empty stack still passes its own pushes on).
            if ((changed || !visited[target]) && !queued[target])
            {
                queued[target] = visited[target] = true;
                work.Push(target);
            }
        }
    }

    /// <summary>What value <paramref name="id"/> of block <paramref name="b"/> is at its exit, given its entry state.</summary>
    private static int Describe(IrFunction fn, IrBlock b, int id, int[] state, int at)
    {
        ref readonly var v = ref fn.Values[id];
        return v.Kind switch
        {
            IrValueKind.Constant => v.Index,
            IrValueKind.Parameter => v.Index < TrackedSlots ? state[at + v.Index] : Varying,
            _ => Varying,
        };
    }

    private static int Meet(IrFunction fn, int a, int b)
    {
        if (a == Unknown) return b;
        if (b == Unknown || a == b) return a;
        if (a == Varying || b == Varying) return Varying;
        return fn.Constants[a] == fn.Constants[b] ? a : Varying;
    }
}
