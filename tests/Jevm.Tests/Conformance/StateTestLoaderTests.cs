using Jevm.Cli;
using Jevm.Evm;
using Jevm.StateTests;

namespace Jevm.Tests.Conformance;

public class StateTestLoaderTests
{
    // A minimal state test written for this suite: a 1-wei transfer between two accounts, Cancun, legacy transaction.
    // Its expected root is not asserted here (that needs an engine run); the loader's reading of fields is.
    private const string Minimal = """
        {
          "transfer": {
            "env": { "currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", "currentGasLimit": "0x1000000",
                     "currentNumber": "0x01", "currentTimestamp": "0x3e8", "currentDifficulty": "0x0",
                     "currentRandom": "0x0000000000000000000000000000000000000000000000000000000000020000",
                     "currentBaseFee": "0x0a", "currentExcessBlobGas": "0x0" },
            "pre": {
              "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": { "balance": "0x0de0b6b3a7640000", "nonce": "0x00", "code": "0x", "storage": {} },
              "0x1000000000000000000000000000000000000000": { "balance": "0x00", "nonce": "0x01", "code": "0x00", "storage": { "0x01": "0x02" } }
            },
            "transaction": { "data": ["0x", "0x0001"], "gasLimit": ["0x5208", "0x10000"], "value": ["0x01", "0x:bigint 0x1000000000000000000000000000000000000000000000000000000000000000001"],
                             "nonce": "0x00", "to": "0x1000000000000000000000000000000000000000", "gasPrice": "0x0a",
                             "sender": "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b", "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8" },
            "post": { "Cancun": [ { "indexes": { "data": 1, "gas": 1, "value": 0 }, "hash": "0x00000000000000000000000000000000000000000000000000000000000000aa",
                                    "logs": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", "txbytes": "0xf86a" },
                                  { "indexes": { "data": 0, "gas": 0, "value": 1 }, "hash": "0x00000000000000000000000000000000000000000000000000000000000000bb",
                                    "logs": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", "expectException": "TransactionException.RLP_INVALID_VALUE" } ],
                      "EIP150": [] }
          }
        }
        """;

    private static string WriteTemp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"jevm-loader-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Loader_reads_fields_and_expands_cases()
    {
        var path = WriteTemp(Minimal);
        try
        {
            var test = Assert.Single(StateTestLoader.LoadFile(path));
            Assert.Equal("transfer", test.Name);
            Assert.Equal(0x1000000, test.Block.GasLimit);
            Assert.Equal(2, test.Pre.Accounts.Count);
            Assert.Equal(2, test.Cases.Count);
            var c = test.Cases[0];
            Assert.Equal((Fork?)Fork.Cancun, c.Fork);
            Assert.Equal((1, 1, 0), (c.DataIndex, c.GasIndex, c.ValueIndex));
            Assert.Equal(0, c.TxType); // 0xf8… is a legacy RLP list
            var tx = StateTestLoader.BuildTransaction(test, c, out var err)!;
            Assert.Null(err);
            Assert.Equal(new byte[] { 0x00, 0x01 }, tx.Data);
            Assert.Equal(0x10000, tx.GasLimit);
            // The 0x:bigint value cannot form a transaction: reported as the RLP error the fixture expects.
            Assert.Null(StateTestLoader.BuildTransaction(test, test.Cases[1], out err));
            Assert.Equal("TransactionException.RLP_INVALID_VALUE", err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Malformed_json_names_file_and_line()
    {
        var path = WriteTemp("{\n  \"x\": {\n    oops\n}");
        try
        {
            var e = Assert.Throws<StateTestFormatException>(() => StateTestLoader.LoadFile(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("line 3", e.Message);
            Assert.Equal(CommandLine.ExitUsage, CommandLine.Run(["statetest", path]));
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("statetest", "--fork", "NoSuchFork", "x")]
    [InlineData("statetest", "--engine", "nope", "x")]
    [InlineData("statetest", "/no/such/path.json")]
    [InlineData("statetest")]
    [InlineData("run", "--code", "0xzz")]
    [InlineData("run", "--gas", "lots")]
    [InlineData("run", "--codefile", "/no/such/file")]
    public void Usage_errors_exit_with_2(params string[] args)
    {
        Assert.Equal(CommandLine.ExitUsage, CommandLine.Run(args));
    }

    [Fact]
    public void Run_demo_computes_fibonacci_50()
    {
        var code = Assembler.Assemble(Jevm.Cli.Commands.RunCommand.DemoSource);
        var r = Jevm.Cli.Commands.RunCommand.Execute(code, [], 1_000_000, Fork.Cancun, Jevm.Codegen.Engines.Create(EngineKind.Interpreter));
        Assert.Equal(StatusCode.Success, r.Status);
        // F(50) = 12586269025 (OEIS A000045).
        Assert.Equal(12586269025UL, Jevm.Numerics.UInt256.ReadBigEndian(r.Output).U0);
    }
}
