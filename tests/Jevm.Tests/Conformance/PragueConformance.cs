using Jevm.Codegen;
using Jevm.Evm;
using Jevm.StateTests;
using Jevm.Tests.Support;

namespace Jevm.Tests.Conformance;

/// <summary>
/// Every file of ethtests/Prague (EIP-2537, EIP-7623, EIP-7702 fixtures) on every engine, one test per (engine, file),
/// judged like <see cref="GeneralStateTestsConformance"/>. Known failures are listed in known-failures.txt under the
/// file name "Prague/…".
/// </summary>
public class PragueConformance
{
    private const string Suite = "Prague";

    public static TheoryData<EngineKind, string> Files() => GeneralStateTestsConformance.FilesOf(Suite);

    [Theory]
    [MemberData(nameof(Files))]
    public void Prague_state_test_file(EngineKind engine, string file)
    {
        var root = EthTests.Require(Suite);
        Assert.NotEqual("(missing)", file);
        var path = Path.Combine(root, file);
        var results = StateTestRunner.OnLargeStack(() => StateTestRunner.RunFile(path, Engines.Create(engine)));
        GeneralStateTestsConformance.Judge(engine.ToString(), Suite + "/" + file, results,
            KnownFailures.Instance.For(engine.ToString(), Suite + "/" + file));
    }
}
