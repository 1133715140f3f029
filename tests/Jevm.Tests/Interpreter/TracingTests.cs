using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Tests.Interpreter;

public class TracingTests
{
    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Eip3155_lines_match_the_statetest_trace_format(EngineKind kind)
    {
        var text = new StringWriter();
        var host = new TestHost(kind, Fork.Cancun, new Eip3155Tracer(text));
        host.Run(Code.New.Push(1).Push(2).Op(ADD).Op(STOP), gas: 100);
        string[] expected =
        [
            """{"pc":0,"op":96,"gas":"0x64","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}""",
            """{"pc":2,"op":96,"gas":"0x61","gasCost":"0x3","memSize":0,"stack":["0x1"],"depth":1,"refund":0,"opName":"PUSH1"}""",
            """{"pc":4,"op":1,"gas":"0x5e","gasCost":"0x3","memSize":0,"stack":["0x1","0x2"],"depth":1,"refund":0,"opName":"ADD"}""",
            """{"pc":5,"op":0,"gas":"0x5b","gasCost":"0x0","memSize":0,"stack":["0x3"],"depth":1,"refund":0,"opName":"STOP"}""",
        ];
        Assert.Equal(expected, text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void The_failing_step_carries_the_error(EngineKind kind)
    {
        var text = new StringWriter();
        var host = new TestHost(kind, Fork.Cancun, new Eip3155Tracer(text));
        host.Run(Code.New.Push(1).Op(ADD), gas: 100);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.DoesNotContain("error", lines[0]);
        Assert.EndsWith("\"opName\":\"ADD\",\"error\":\"stack underflow\"}", lines[1]);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Nested_frames_are_traced_with_their_depth_and_memory_and_refund(EngineKind kind)
    {
        var callee = Jevm.Primitives.Address.Parse("0x00000000000000000000000000000000000ca11e");
        var tracer = new RecordingTracer();
        var host = new TestHost(kind, Fork.Cancun, tracer).WithCode(callee, Code.New.Op(STOP)).WithStorage(TestHost.Contract, 0, 1);
        host.Run(Code.New.SStore(0, 0).Push(1).Push(0).Op(MSTORE).Call(CALL, 1000, callee, 0, 0, 0, 0, 0).Op(STOP));
        Assert.Contains(tracer.Steps, s => s.Depth == 2 && s.Op == STOP);
        var call = tracer.Steps.Single(s => s.Op == CALL);
        Assert.Equal(32, call.MemorySize);
        Assert.Equal(4800, call.Refund); // clearing a slot, London+ (EIP-3529)
        Assert.Equal([(StatusCode.Success, 2), (StatusCode.Success, 1)], tracer.FrameEnds);
    }
}
