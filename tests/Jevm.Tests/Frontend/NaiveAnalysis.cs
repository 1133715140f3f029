using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Tests.Frontend;

/// <summary>
/// A deliberately simple, independent re-implementation of block splitting and summaries, written from the rules in
/// the assignment (not from the production code): decode every instruction, mark leaders, then walk each block
/// instruction by instruction, simulating the stack height and adding up base gas from <see cref="OpcodeTable"/>.
/// </summary>
internal static class NaiveAnalysis
{
    internal sealed record Block(int Start, int End, int Count, BlockEndKind End_, long Gas, int Need, int Max, int Delta,
        List<(int Pc, GasPointKind Kind, long Correction)> Points, int? PushedTarget, bool Dynamic);

    public static List<(int Pc, byte Op)> Decode(byte[] code)
    {
        var list = new List<(int, byte)>();
        for (int pc = 0; pc < code.Length;)
        {
            byte op = code[pc];
            list.Add((pc, op));
            pc += 1 + (OpcodeTable.Get(op)?.ImmediateSize ?? 0);
        }
        return list;
    }

    public static bool IsTerminator(byte op, Fork fork) =>
        !OpcodeTable.IsDefined(op, fork) || (OpcodeTable.Get(op)!.Value.Flags & OpcodeFlags.Terminator) != 0;

    public static List<Block> Analyze(byte[] code, Fork fork)
    {
        var ins = Decode(code);
        var leader = new bool[ins.Count];
        for (int i = 0; i < ins.Count; i++)
        {
            if (i == 0 || ins[i].Op == OpcodeTable.JUMPDEST) leader[i] = true;
            if (i > 0 && IsTerminator(ins[i - 1].Op, fork)) leader[i] = true;
        }
        var blocks = new List<Block>();
        for (int i = 0; i < ins.Count;)
        {
            int j = i + 1;
            while (j < ins.Count && !leader[j]) j++;
            long gas = 0; int h = 0, need = 0, max = 0;
            var points = new List<(int, GasPointKind, long)>();
            var through = new List<long>();
            BlockEndKind kind;
            byte last = ins[j - 1].Op;
            for (int k = i; k < j; k++)
            {
                byte op = ins[k].Op;
                if (!OpcodeTable.IsDefined(op, fork)) break; // only ever the last instruction
                var info = OpcodeTable.Get(op, fork)!.Value;
                need = Math.Max(need, info.StackInputs - h);
                h += info.StackChange;
                max = Math.Max(max, h);
                gas += OpcodeTable.BaseGas(fork)[op];
                var pk = GasPointKind.None;
                if ((info.Flags & OpcodeFlags.GasObservable) != 0) pk |= GasPointKind.ObservesGas;
                if ((info.Flags & OpcodeFlags.DynamicGas) != 0) pk |= GasPointKind.AddsDynamicGas;
                if (pk != GasPointKind.None) { points.Add((ins[k].Pc, pk, 0)); through.Add(gas); }
            }
            for (int p = 0; p < points.Count; p++) points[p] = (points[p].Item1, points[p].Item2, gas - through[p]);
            if (!OpcodeTable.IsDefined(last, fork)) kind = BlockEndKind.Undefined;
            else kind = last switch
            {
                OpcodeTable.STOP => BlockEndKind.Stop,
                OpcodeTable.RETURN => BlockEndKind.Return,
                OpcodeTable.REVERT => BlockEndKind.Revert,
                OpcodeTable.INVALID => BlockEndKind.Invalid,
                OpcodeTable.SELFDESTRUCT => BlockEndKind.SelfDestruct,
                OpcodeTable.JUMP => BlockEndKind.Jump,
                OpcodeTable.JUMPI => BlockEndKind.JumpI,
                _ => j < ins.Count ? BlockEndKind.FallThrough : BlockEndKind.ImplicitStop,
            };
            int? target = null;
            bool dynamic = false;
            if (kind is BlockEndKind.Jump or BlockEndKind.JumpI)
            {
                if (j - 1 > i && (OpcodeTable.Get(ins[j - 2].Op)!.Value.Flags & OpcodeFlags.Push) != 0 && OpcodeTable.IsDefined(ins[j - 2].Op, fork))
                {
                    var padded = new byte[32];
                    int size = OpcodeTable.Get(ins[j - 2].Op)!.Value.ImmediateSize;
                    for (int b = 0; b < size; b++)
                    {
                        int at = ins[j - 2].Pc + 1 + b;
                        padded[32 - size + b] = at < code.Length ? code[at] : (byte)0;
                    }
                    var value = new System.Numerics.BigInteger(padded, isUnsigned: true, isBigEndian: true);
                    target = value < code.Length ? (int)value : int.MaxValue;
                }
                else dynamic = true;
            }
            int end = j < ins.Count ? ins[j].Pc : code.Length;
            blocks.Add(new Block(ins[i].Pc, end, j - i, kind, gas, need, max, h, points, target, dynamic));
            i = j;
        }
        return blocks;
    }
}
