using Jevm.Evm;
using Jevm.Frontend;

namespace Jevm.Ir;

/// <summary>
/// The IR of one code for one fork: blocks, and flat tables of values, nodes and operands that they index into.
/// Build it with <see cref="IrBuilder.Build"/>, optimise it with <see cref="IrOptimizer"/>, print it with
/// <see cref="IrPrinter"/>.
/// </summary>
public sealed class IrFunction
{
    internal IrValue[] _values = new IrValue[16];
    internal int _valueCount;
    internal IrNode[] _nodes = new IrNode[16];
    internal int _nodeCount;
    internal int[] _operands = new int[32];
    internal int _operandCount;

    internal IrFunction(BytecodeAnalysis analysis, IrBlock[] blocks) { Analysis = analysis; Blocks = blocks; }

    /// <summary>The frontend analysis the IR was built from.</summary>
    public BytecodeAnalysis Analysis { get; }

    /// <summary>The fork.</summary>
    public Fork Fork => Analysis.Fork;

    /// <summary>All blocks in code order, one per analysis block; removed blocks stay with <see cref="IrBlock.IsRemoved"/> set.</summary>
    public IReadOnlyList<IrBlock> Blocks { get; }

    /// <summary>Every value, indexed by value id.</summary>
    public ReadOnlySpan<IrValue> Values => _values.AsSpan(0, _valueCount);

    /// <summary>Every node, blocks in order, each block's nodes contiguous.</summary>
    public ReadOnlySpan<IrNode> Nodes => _nodes.AsSpan(0, _nodeCount);

    /// <summary>The operand value ids of all nodes.</summary>
    public ReadOnlySpan<int> Operands => _operands.AsSpan(0, _operandCount);

    /// <summary>The nodes of <paramref name="block"/>.</summary>
    public ReadOnlySpan<IrNode> NodesOf(IrBlock block) => _nodes.AsSpan(block.FirstNode, block.NodeCount);

    /// <summary>The operand value ids of <paramref name="node"/>, top of stack first.</summary>
    public ReadOnlySpan<int> OperandsOf(in IrNode node) => _operands.AsSpan(node.FirstOperand, node.OperandCount);

    internal ref IrNode NodeRef(int index) => ref _nodes[index];

    internal ref IrValue ValueRef(int id) => ref _values[id];

    internal int AddValue(in IrValue value)
    {
        if (_valueCount == _values.Length) Array.Resize(ref _values, _values.Length * 2);
        _values[_valueCount] = value;
        return _valueCount++;
    }

    internal int AddNode(in IrNode node)
    {
        if (_nodeCount == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
        _nodes[_nodeCount] = node;
        return _nodeCount++;
    }

    internal int AddOperand(int valueId)
    {
        if (_operandCount == _operands.Length) Array.Resize(ref _operands, _operands.Length * 2);
        _operands[_operandCount] = valueId;
        return _operandCount++;
    }

    /// <summary>
    /// Checks the structural invariants (debug aid and test oracle): every operand and output refers to a value of
    /// the same block that is a parameter, a constant or the result of an earlier live node; outputs have the
    /// summary's length; terminators are last. Throws <see cref="InvalidOperationException"/> naming the first violation.
    /// </summary>
    public void Validate()
    {
        foreach (var block in Blocks)
        {
            if (block.IsRemoved) continue;
            var s = block.Summary;
            if (block.ParameterCount != s.StackRequired) Fail(block, "parameter count differs from StackRequired");
            if (block.Outputs.Length != s.StackRequired + s.StackChange) Fail(block, "output count differs from the stack change");
            var nodes = NodesOf(block);
            for (int i = 0; i < nodes.Length; i++)
            {
                ref readonly var n = ref nodes[i];
                if (n.Kind == IrNodeKind.Removed) continue;
                if (n.Kind is IrNodeKind.Jump or IrNodeKind.JumpI or IrNodeKind.Halt && !IsLastLive(nodes, i))
                    Fail(block, $"terminator at pc {n.Pc} is not last");
                foreach (int op in OperandsOf(n)) CheckUse(block, op, block.FirstNode + i);
                if (n.Result >= 0 && _values[n.Result].Kind == IrValueKind.Result && _values[n.Result].Index != block.FirstNode + i)
                    Fail(block, $"result of pc {n.Pc} names another node");
            }
            foreach (int v in block.Outputs) CheckUse(block, v, block.FirstNode + block.NodeCount);
        }
    }

    private static bool IsLastLive(ReadOnlySpan<IrNode> nodes, int i)
    {
        for (int j = i + 1; j < nodes.Length; j++) if (nodes[j].Kind != IrNodeKind.Removed) return false;
        return true;
    }

    private void CheckUse(IrBlock block, int valueId, int userNode)
    {
        if ((uint)valueId >= (uint)_valueCount) Fail(block, $"value id {valueId} out of range");
        ref readonly var v = ref _values[valueId];
        if (v.Block != block.Index) Fail(block, $"value {valueId} belongs to block {v.Block}");
        if (v.Kind == IrValueKind.Result)
        {
            if (v.Index < block.FirstNode || v.Index >= userNode) Fail(block, $"value {valueId} used before its definition");
            if (_nodes[v.Index].Kind == IrNodeKind.Removed) Fail(block, $"value {valueId} defined by a removed node");
        }
        else if (v.Kind == IrValueKind.Parameter && (uint)v.Index >= (uint)block.ParameterCount)
            Fail(block, $"parameter {v.Index} out of range");
    }

    private static void Fail(IrBlock block, string message) =>
        throw new InvalidOperationException($"IR invariant violated in block {block.Index} (pc {block.Summary.Start}): {message}");
}
