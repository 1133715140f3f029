using System.Text.Json;
using Jevm.Cli.Commands;
using Jevm.Evm;
using Jevm.StateTests;
using Jevm.Tests.Support;

namespace Jevm.Tests.Api;

/// <summary><c>jevm statetest --json / --batch</c>: the form geth's <c>evm statetest</c> has for cross-client fuzzers.</summary>
public class CrossClientStateTestTests
{
    private static readonly StateTestFilter Cancun = new() { Fork = Fork.Cancun };

    /// <summary>The fixture's own expected Cancun root for the case of indexes 0/0/0 of the file's only test.</summary>
    private static string ExpectedCancunRoot(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        var test = doc.RootElement.EnumerateObject().First().Value;
        return test.GetProperty("post").GetProperty("Cancun")[0].GetProperty("hash").GetString()!;
    }

    private static List<JsonElement> ReadArrays(string text)
    {
        var arrays = new List<JsonElement>();
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            arrays.Add(doc.RootElement.Clone());
        }
        return arrays;
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Json_prints_trace_lines_and_summary_on_stderr_and_the_result_list_on_stdout(EngineKind engine)
    {
        var file = Path.Combine(EthTests.Require("GeneralStateTests/stExample"), "add11.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.True(StateTestCommand.RunFileCrossClient(file, engine, Cancun, trace: true, noStack: false, stdout, stderr));

        var results = ReadArrays(stdout.ToString());
        var entry = Assert.Single(Assert.Single(results).EnumerateArray());
        Assert.Equal("add11", entry.GetProperty("name").GetString());
        Assert.True(entry.GetProperty("pass").GetBoolean());
        Assert.Equal("Cancun", entry.GetProperty("fork").GetString());
        Assert.Equal(ExpectedCancunRoot(file), entry.GetProperty("stateRoot").GetString());
        Assert.False(entry.TryGetProperty("error", out _));

        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // add11: PUSH1 1 PUSH1 1 ADD PUSH1 0 SSTORE STOP — six steps (EIP-3155 lines), then the summary.
        Assert.Equal(7, lines.Length);
        var steps = lines[..^1].Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([0x60, 0x60, 0x01, 0x60, 0x55, 0x00], steps.Select(s => s.GetProperty("op").GetInt32()));
        Assert.Equal(["0x1", "0x1"], steps[2].GetProperty("stack").EnumerateArray().Select(v => v.GetString()));
        var summary = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(ExpectedCancunRoot(file), summary.GetProperty("stateRoot").GetString());
        Assert.True(summary.GetProperty("pass").GetBoolean());
        Assert.StartsWith("0x", summary.GetProperty("gasUsed").GetString());
    }

    [Fact]
    public void Nostack_leaves_the_stack_out()
    {
        var file = Path.Combine(EthTests.Require("GeneralStateTests/stExample"), "add11.json");
        var stderr = new StringWriter();
        StateTestCommand.RunFileCrossClient(file, EngineKind.Interpreter, Cancun, trace: true, noStack: true, new StringWriter(), stderr);
        var steps = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[..^1];
        Assert.NotEmpty(steps);
        Assert.All(steps, l => Assert.Equal(0, JsonDocument.Parse(l).RootElement.GetProperty("stack").GetArrayLength()));
    }

    [Fact]
    public void Batch_answers_each_path_in_turn_and_survives_a_bad_one()
    {
        var folder = EthTests.Require("GeneralStateTests/stExample");
        string a = Path.Combine(folder, "add11.json"), b = Path.Combine(folder, "basefeeExample.json");
        var input = new StringReader($"{a}\n\n/no/such/file.json\n{b}\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = StateTestCommand.RunBatch(input, stdout, stderr, EngineKind.Jit, Cancun, trace: false, noStack: false);
        Assert.Equal(1, exit); // the missing file counts as a failure
        var results = ReadArrays(stdout.ToString());
        Assert.Equal(3, results.Count);
        Assert.Equal(ExpectedCancunRoot(a), results[0][0].GetProperty("stateRoot").GetString());
        Assert.Equal(0, results[1].GetArrayLength());
        Assert.Contains("/no/such/file.json", stderr.ToString());
        Assert.Equal("basefeeExample", results[2][0].GetProperty("name").GetString());
        Assert.Equal(ExpectedCancunRoot(b), results[2][0].GetProperty("stateRoot").GetString());
        Assert.True(results[2][0].GetProperty("pass").GetBoolean());
    }

    [Fact]
    public void A_wrong_expectation_is_reported_as_not_passing_with_an_error()
    {
        var source = Path.Combine(EthTests.Require("GeneralStateTests/stExample"), "add11.json");
        var text = File.ReadAllText(source).Replace(ExpectedCancunRoot(source), "0x" + new string('1', 64));
        var file = Path.Combine(Path.GetTempPath(), $"jevm-wrong-root-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, text);
        try
        {
            var stdout = new StringWriter();
            Assert.False(StateTestCommand.RunFileCrossClient(file, EngineKind.Interpreter, Cancun, false, false, stdout, new StringWriter()));
            var entry = ReadArrays(stdout.ToString())[0][0];
            Assert.False(entry.GetProperty("pass").GetBoolean());
            Assert.Equal(ExpectedCancunRoot(source), entry.GetProperty("stateRoot").GetString());
            Assert.Contains("state root", entry.GetProperty("error").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
