using System.Globalization;
using System.Text;
using Jevm.Numerics;

namespace Jevm.Evm.Tracing;

/// <summary>
/// Writes EIP-3155 JSON lines, one per step, as geth's and evmone's <c>statetest --trace</c> print them:
/// <c>{"pc":0,"op":96,"gas":"0x79bc18","gasCost":"0x3","memSize":0,"stack":["0x1"],"depth":1,"refund":0,"opName":"PUSH1"}</c>,
/// with an <c>"error"</c> member on the step where a frame failed.
/// </summary>
/// <remarks>
/// A step's line is held back until the next event so the error of a failing instruction can be added to it.
/// </remarks>
public sealed class Eip3155Tracer : ITracer
{
    private readonly TextWriter _writer;
    private readonly StringBuilder _line = new(256);
    private bool _pending;
    private int _pendingDepth;

    /// <summary>Traces to <paramref name="writer"/> (flushed when a top-level frame ends).</summary>
    public Eip3155Tracer(TextWriter writer) => _writer = writer;

    /// <inheritdoc/>
    public void OnStep(int pc, byte op, long gas, long gasCost, int memorySize, ReadOnlySpan<UInt256> stack, int depth, long refund)
    {
        FlushPending(null);
        var b = _line;
        b.Clear();
        b.Append("{\"pc\":").Append(pc.ToString(CultureInfo.InvariantCulture))
         .Append(",\"op\":").Append(op.ToString(CultureInfo.InvariantCulture))
         .Append(",\"gas\":\"0x").Append(gas.ToString("x", CultureInfo.InvariantCulture))
         .Append("\",\"gasCost\":\"0x").Append(gasCost.ToString("x", CultureInfo.InvariantCulture))
         .Append("\",\"memSize\":").Append(memorySize.ToString(CultureInfo.InvariantCulture))
         .Append(",\"stack\":[");
        for (int i = 0; i < stack.Length; i++)
        {
            if (i > 0) b.Append(',');
            b.Append('"').Append(stack[i].ToString()).Append('"');
        }
        b.Append("],\"depth\":").Append(depth.ToString(CultureInfo.InvariantCulture))
         .Append(",\"refund\":").Append(refund.ToString(CultureInfo.InvariantCulture))
         .Append(",\"opName\":\"").Append(OpcodeTable.Get(op) is { } info ? info.Name : "opcode 0x" + op.ToString("x2", CultureInfo.InvariantCulture) + " not defined")
         .Append('"');
        _pending = true;
        _pendingDepth = depth;
    }

    /// <inheritdoc/>
    public void OnFrameEnd(in ExecutionResult result, int depth)
    {
        string? error = result.Status is StatusCode.Success or StatusCode.Revert ? null : ErrorName(result.Status);
        FlushPending(_pending && _pendingDepth == depth ? error : null);
        if (depth == 1) _writer.Flush();
    }

    private void FlushPending(string? error)
    {
        if (!_pending) return;
        if (error is not null) _line.Append(",\"error\":\"").Append(error).Append('"');
        _line.Append('}');
        _writer.WriteLine(_line);
        _pending = false;
    }

    /// <summary>The error text a trace shows for a failure status.</summary>
    public static string ErrorName(StatusCode status) => status switch
    {
        StatusCode.OutOfGas => "out of gas",
        StatusCode.InvalidInstruction => "invalid opcode: INVALID",
        StatusCode.UndefinedInstruction => "undefined instruction",
        StatusCode.StackOverflow => "stack overflow",
        StatusCode.StackUnderflow => "stack underflow",
        StatusCode.BadJumpDestination => "invalid jump destination",
        StatusCode.InvalidMemoryAccess => "return data out of bounds",
        StatusCode.StaticModeViolation => "write protection",
        _ => status.ToString(),
    };
}
