using System.Text;
using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Ir;

/// <summary>
/// The readable text form of an <see cref="IrFunction"/>. One header line, then per block:
/// <code>
/// b1 0x5..0xc gas=22 need=1 max=+2 delta=+0 jumpdest
///   %0 = ADD $0, 0x1 @0x7
///   MSTORE 0x0, %0 @0xa rest=10
///   JUMP 0x5 @0xb
///   out [$0]
///   -> b1
/// </code>
/// The header gives the byte range [start, end), the block's static gas, the entry stack it needs, its maximum
/// growth and net change. Nodes print as <c>%n = OPCODE operands @pc</c>; operands are top of stack first: <c>$k</c>
/// is entry slot k (0 = top), <c>%n</c> the n-th result defined in this block, constants are hex. Nodes that observe
/// gas or charge dynamic gas add <c>rest=N</c> (the gas correction); a folded EXP adds <c>folded=VALUE</c>.
/// <c>out</c> is the exit stack, top first (printed for blocks that continue). The arrow names the successor(s):
/// <c>-> bN</c>, <c>-> dynamic</c>, <c>-> invalid destination</c>, <c>-> unresolved</c>,
/// <c>-> bT if COND else bF</c>, <c>-> stop (end of code)</c>. Removed blocks print as one comment line.
/// </summary>
public static class IrPrinter
{
    /// <summary>Renders <paramref name="fn"/> as text (lines end with '\n').</summary>
    public static string Print(IrFunction fn)
    {
        var sb = new StringBuilder();
        var names = new int[fn.Values.Length];
        int removed = 0;
        foreach (var b in fn.Blocks) if (b.IsRemoved) removed++;
        sb.Append($"; {fn.Analysis.Code.Length} bytes, fork {fn.Fork}, {fn.Blocks.Count} block{(fn.Blocks.Count == 1 ? "" : "s")}");
        if (removed > 0) sb.Append($" ({removed} removed)");
        sb.Append('\n');
        foreach (var block in fn.Blocks)
        {
            var s = block.Summary;
            if (block.IsRemoved)
            {
                sb.Append($"; b{block.Index} 0x{s.Start:x}..0x{s.End:x} removed (unreachable)\n");
                continue;
            }
            sb.Append($"b{block.Index} 0x{s.Start:x}..0x{s.End:x} gas={s.StaticGas} need={s.StackRequired} max=+{s.StackMaxGrowth} delta={(s.StackChange >= 0 ? "+" : "")}{s.StackChange}");
            if ((s.Flags & BlockFlags.JumpDest) != 0) sb.Append(" jumpdest");
            sb.Append('\n');
            int next = 0;
            foreach (ref readonly var n in fn.NodesOf(block))
            {
                if (n.Kind == IrNodeKind.Removed) continue;
                sb.Append("  ");
                if (n.Result >= 0 && fn.Values[n.Result].Kind == IrValueKind.Result)
                {
                    names[n.Result] = next++;
                    sb.Append($"%{names[n.Result]} = ");
                }
                sb.Append(OpcodeTable.IsDefined(n.Opcode, fn.Fork) ? OpcodeTable.Name(n.Opcode) : $"UNDEFINED(0x{n.Opcode:x2})");
                var ops = fn.OperandsOf(n);
                for (int i = 0; i < ops.Length; i++)
                {
                    sb.Append(i == 0 ? " " : ", ");
                    AppendValue(sb, fn, names, ops[i]);
                }
                sb.Append($" @0x{n.Pc:x}");
                if ((n.Flags & (IrNodeFlags.ObservesGas | IrNodeFlags.DynamicGas)) != 0) sb.Append($" rest={n.GasCorrection}");
                if ((n.Flags & IrNodeFlags.ResultFolded) != 0) sb.Append($" folded={fn.Values[n.Result].Constant}");
                sb.Append('\n');
            }
            if (s.EndKind is BlockEndKind.FallThrough or BlockEndKind.Jump or BlockEndKind.JumpI)
            {
                sb.Append("  out [");
                for (int i = 0; i < block.Outputs.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    AppendValue(sb, fn, names, block.Outputs[i]);
                }
                sb.Append("]\n");
            }
            AppendEdges(sb, fn, names, block);
        }
        return sb.ToString();
    }

    private static void AppendEdges(StringBuilder sb, IrFunction fn, int[] names, IrBlock block)
    {
        var s = block.Summary;
        string next = block.FallThroughBlock >= 0 ? $"b{block.FallThroughBlock}" : "stop (end of code)";
        switch (s.EndKind)
        {
            case BlockEndKind.FallThrough:
            case BlockEndKind.ImplicitStop:
                sb.Append($"  -> {next}\n");
                break;
            case BlockEndKind.Jump:
                sb.Append($"  -> {Taken(block)}\n");
                break;
            case BlockEndKind.JumpI:
                if (block.KnownCondition == true) sb.Append($"  -> {Taken(block)}\n");
                else if (block.KnownCondition == false) sb.Append($"  -> {next}\n");
                else
                {
                    var jumpi = fn.Nodes[block.FirstNode + block.NodeCount - 1];
                    sb.Append($"  -> {Taken(block)} if ");
                    AppendValue(sb, fn, names, fn.OperandsOf(jumpi)[1]);
                    sb.Append($" else {next}\n");
                }
                break;
        }
    }

    private static string Taken(IrBlock block) => block.Jump switch
    {
        JumpResolution.Static => $"b{block.TakenBlock}",
        JumpResolution.Dynamic => "dynamic",
        JumpResolution.InvalidTarget => "invalid destination",
        _ => "unresolved",
    };

    private static void AppendValue(StringBuilder sb, IrFunction fn, int[] names, int id)
    {
        ref readonly var v = ref fn.Values[id];
        switch (v.Kind)
        {
            case IrValueKind.Parameter: sb.Append('$').Append(v.Index); break;
            case IrValueKind.Constant: sb.Append(v.Constant.ToString()); break;
            default: sb.Append('%').Append(names[id]); break;
        }
    }
}
