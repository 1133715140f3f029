using Jevm.Cli;

namespace Jevm.Tests.Robustness;

/// <summary>
/// Bad input to every command: each class of mistake gets exit code 2 (1 when the work itself fails) and one line on
/// stderr naming the problem, never a stack trace. Commands run in-process.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliBadInputTests : IDisposable
{
    private const int Usage = CommandLine.ExitUsage;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"jevm-robust-{Guid.NewGuid():N}");

    public CliBadInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static string Missing => Path.Combine(Path.GetTempPath(), $"jevm-no-such-{Guid.NewGuid():N}");

    [Theory]
    [InlineData("run", "--code")]
    [InlineData("run", "--input")]
    [InlineData("ir", "--code")]
    [InlineData("compile", "--code")]
    public void Malformed_hex_is_a_usage_error(string command, string option)
    {
        string[] rest = option == "--code" ? [option, "0x60zz"] : ["--code", "00", option, "0x60zz"];
        Cli.AssertOneLine(Cli.Run([command, .. rest]), Usage, "invalid hex", "'z'");
    }

    [Theory]
    [InlineData("run", "--code")]
    [InlineData("run", "--input")]
    [InlineData("ir", "--code")]
    [InlineData("compile", "--code")]
    [InlineData("compile", "--calldata")]
    public void Odd_length_hex_is_a_usage_error(string command, string option)
    {
        string[] rest = option == "--code" ? [option, "0x600"] : ["--code", "00", option, "0x600"];
        Cli.AssertOneLine(Cli.Run([command, .. rest]), Usage, "odd number of digits");
    }

    [Fact]
    public void Malformed_hex_in_a_code_file_names_the_file()
    {
        var f = File("bad.hex", "60 0g");
        Cli.AssertOneLine(Cli.Run("run", "--codefile", f), Usage, "invalid hex");
        Cli.AssertOneLine(Cli.Run("ir", "--codefile", f), Usage, "invalid hex");
        Cli.AssertOneLine(Cli.Run("compile", "--codefile", f), Usage, "invalid hex");
        Cli.AssertOneLine(Cli.Run("bench", "--runs", "1", "--time", "0", f), Usage, "bad.hex", "invalid hex");
    }

    [Fact]
    public void Truncated_json_names_the_file_and_the_problem()
    {
        var st = File("st/truncated.json", """{ "t": { "env": { "currentCoinbase": """);
        Cli.AssertOneLine(Cli.Run("statetest", st), Usage, "truncated.json", "malformed JSON");
        var corpus = File("corpus/x.json", """{ "t": { "pre": [ """);
        Cli.AssertOneLine(Cli.Run("ir", "--corpus", Path.GetDirectoryName(corpus)!), Usage, "x.json");
        var manifest = File("bench/manifest.json", """{ "cases": [ { "name": """);
        Cli.AssertOneLine(Cli.Run("bench", Path.GetDirectoryName(manifest)!), Usage, "manifest.json", "malformed");
    }

    [Fact]
    public void Json_of_the_wrong_shape_names_the_missing_field()
    {
        Cli.AssertOneLine(Cli.Run("statetest", File("st/array.json", "[1, 2]")), Usage, "not a state-test file");
        Cli.AssertOneLine(Cli.Run("statetest", File("st/noenv.json", """{ "t": { "pre": {} } }""")), Usage, "test 't'", "missing field 'env'");
        Cli.AssertOneLine(Cli.Run("statetest", File("st/envnum.json", """{ "t": { "env": 5 } }""")), Usage, "test 't'", "currentCoinbase");
        var manifest = File("bench2/manifest.json", """{ "cases": [ { "name": "x" } ] }""");
        Cli.AssertOneLine(Cli.Run("bench", Path.GetDirectoryName(manifest)!), Usage, "manifest.json");
        Cli.AssertOneLine(Cli.Run("ir", "--corpus", Path.GetDirectoryName(File("corpus2/a.json", "[1]"))!), Usage, "a.json");
        Cli.AssertOneLine(Cli.Run("ir", "--corpus", Path.GetDirectoryName(File("corpus3/a.json", "{}"))!), Usage, "no state-test code");
    }

    [Theory]
    [InlineData("run", "--code", "00")]
    [InlineData("ir", "--code", "00")]
    [InlineData("compile", "--code", "00")]
    [InlineData("bench", "--runs", "1")]
    [InlineData("statetest", "--run", "x")]
    public void Unknown_fork_is_a_usage_error(string command, string option, string value)
    {
        string[] rest = command == "statetest" ? [option, value, "--fork", "Shanghaii", _dir] : [option, value, "--fork", "Shanghaii"];
        Cli.AssertOneLine(Cli.Run([command, .. rest]), Usage, "unknown fork 'Shanghaii'", "Cancun");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("statetest")]
    [InlineData("bench")]
    [InlineData("compile")]
    public void Unknown_engine_is_a_usage_error(string command)
    {
        string[] rest = command == "statetest" ? ["--engine", "warp", _dir] : ["--engine", "warp"];
        Cli.AssertOneLine(Cli.Run([command, .. rest]), Usage, "unknown engine 'warp'", "interpreter");
    }

    [Fact]
    public void Compile_runs_one_engine_only_with_call_data()
    {
        // Without call data --engine has nothing to run: said so, not ignored.
        Cli.AssertOneLine(Cli.Run("compile", "--code", "00", "--engine", "jit"), Usage, "--engine needs --calldata");
        // PUSH1 2, PUSH1 3, ADD, PUSH1 0, MSTORE, RETURN(0, 32): 3 + 3 + 3 + 3 + 3 (+3 memory) + 3 + 3 = 24 gas.
        var r = Cli.Run("compile", "--code", "600260030160005260206000f3", "--calldata", "", "--engine", "jit", "--repeat", "3");
        Assert.Equal(CommandLine.ExitOk, r.ExitCode);
        Assert.Matches(@"(?m)^jit:\s+[0-9.]+ ms median \(Success, gas used 24\)", r.Out);
        Assert.DoesNotContain("interpreter:", r.Out);
        Assert.DoesNotContain("speed-up", r.Out);
    }

    [Fact]
    public void Missing_files_and_folders_are_named()
    {
        string m = Missing;
        Cli.AssertOneLine(Cli.Run("run", "--codefile", m), Usage, m);
        Cli.AssertOneLine(Cli.Run("ir", "--codefile", m), Usage, m);
        Cli.AssertOneLine(Cli.Run("ir", "--corpus", m), Usage, m);
        Cli.AssertOneLine(Cli.Run("compile", "--codefile", m), Usage, m);
        Cli.AssertOneLine(Cli.Run("statetest", m), Usage, m);
        Cli.AssertOneLine(Cli.Run("bench", m), Usage, m);
        // A folder where a file is expected.
        Cli.AssertOneLine(Cli.Run("run", "--codefile", _dir), Usage, _dir);
        Cli.AssertOneLine(Cli.Run("compile", "--codefile", _dir), Usage, _dir);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("18446744073709551616")]            // 2^64
    [InlineData("9223372036854775808")]             // 2^63: over long.MaxValue
    [InlineData("0x10000000000000000")]
    [InlineData("0x")]
    [InlineData("1e5")]
    [InlineData("")]
    public void Negative_overflowing_or_malformed_gas_is_a_usage_error(string gas) =>
        Cli.AssertOneLine(Cli.Run("run", "--code", "00", "--gas", gas), Usage, "gas", $"'{gas}'");

    [Theory]
    [InlineData("compile", "--repeat", "-1")]
    [InlineData("compile", "--repeat", "99999999999")]
    [InlineData("bench", "--runs", "-3")]
    [InlineData("bench", "--runs", "99999999999999999999")]
    [InlineData("bench", "--time", "NaN")]
    [InlineData("bench", "--peer-runs", "0")]
    public void Negative_or_overflowing_counts_are_usage_errors(string command, string option, string value)
    {
        string[] rest = command == "compile" ? ["--code", "00", option, value] : [option, value];
        Cli.AssertOneLine(Cli.Run([command, .. rest]), Usage, option);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("statetest")]
    [InlineData("ir")]
    [InlineData("compile")]
    [InlineData("bench")]
    [InlineData("version")]
    public void Unknown_options_are_usage_errors(string command) =>
        Cli.AssertOneLine(Cli.Run(command, "--frobnicate"), Usage, "'--frobnicate'");

    [Theory]
    [InlineData("run", "--code")]
    [InlineData("run", "--codefile")]
    [InlineData("run", "--input")]
    [InlineData("run", "--gas")]
    [InlineData("run", "--fork")]
    [InlineData("run", "--engine")]
    [InlineData("statetest", "--engine")]
    [InlineData("statetest", "--fork")]
    [InlineData("statetest", "--run")]
    [InlineData("ir", "--code")]
    [InlineData("ir", "--codefile")]
    [InlineData("ir", "--corpus")]
    [InlineData("ir", "--fork")]
    [InlineData("compile", "--code")]
    [InlineData("compile", "--calldata")]
    [InlineData("compile", "--repeat")]
    [InlineData("bench", "--engine")]
    [InlineData("bench", "--runs")]
    [InlineData("bench", "--time")]
    [InlineData("bench", "--filter")]
    [InlineData("bench", "--json")]
    public void A_missing_option_value_is_named(string command, string option) =>
        Cli.AssertOneLine(Cli.Run(command, option), Usage, $"{option} needs a value");

    [Fact]
    public void Unknown_command_and_missing_operands_are_usage_errors()
    {
        Cli.AssertOneLine(Cli.Run("frobnicate"), Usage, "unknown command 'frobnicate'");
        Cli.AssertOneLine(Cli.Run("statetest"), Usage, "no PATH");
        Cli.AssertOneLine(Cli.Run("ir"), Usage, "exactly one of");
        Cli.AssertOneLine(Cli.Run("compile"), Usage, "exactly one of");
        Cli.AssertOneLine(Cli.Run("statetest", "--run", "(", _dir), Usage, "--run");
        Cli.AssertOneLine(Cli.Run("bench", "--filter", "("), Usage, "--filter");
    }

    [Theory]
    [InlineData("--frobnicate", "", "unknown option '--frobnicate'")]
    [InlineData("--runs", "-1", "--runs")]
    [InlineData("--runs", "99999999999999999999999", "--runs")]
    [InlineData("--seed", "abc", "--seed")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--engines", "warp", "unknown engine 'warp'")]
    [InlineData("--fork", "Nope", "unknown fork 'Nope'")]
    [InlineData("--runs", null, "--runs needs a value")]
    [InlineData("--seed", null, "--seed needs a value")]
    public void Fuzz_bad_arguments_are_usage_errors(string option, string? value, string fragment)
    {
        string[] args = value is null ? ["fuzz", option] : value.Length == 0 ? ["fuzz", option] : ["fuzz", option, value];
        Cli.AssertOneLine(Cli.Run(args), Usage, fragment);
    }

    [Fact]
    public void T8n_bad_input_uses_geths_exit_codes_with_one_line()
    {
        // geth's `evm t8n` codes: 3 bad configuration, 10 bad JSON, 11 I/O error; 2 for usage errors.
        string m = Missing;
        Cli.AssertOneLine(Cli.Run("t8n", "--state.fork", "Nope"), 3, "unknown fork 'Nope'");
        Cli.AssertOneLine(Cli.Run("t8n", "--input.alloc", Path.Combine(m, "alloc.json")), 11, m);
        Cli.AssertOneLine(Cli.Run("t8n", "--input.alloc", File("t8n/alloc.json", """{ "0x00": { """)), 10, "alloc.json", "bad JSON");
        Cli.AssertOneLine(Cli.Run("t8n", "--frobnicate"), Usage, "unknown option '--frobnicate'");
        Cli.AssertOneLine(Cli.Run("t8n", "--state.chainid", "-1"), Usage, "--state.chainid");
        Cli.AssertOneLine(Cli.Run("t8n", "--engine", "warp"), Usage, "unknown engine 'warp'");
        Cli.AssertOneLine(Cli.Run("t8n", "--input.env"), Usage, "--input.env needs a value");
    }

    [Fact]
    public void Code_over_the_compile_limit_fails_the_work_with_exit_1_and_still_runs_on_the_jit_engine()
    {
        // 64 KiB + 1 JUMPDESTs: over the JIT's code limit; the interpreter fallback still runs it.
        var f = File("big.hex", new string('5', 2 * 65_537).Replace("55", "5b"));
        var compiled = Cli.Run("compile", "--codefile", f);
        Assert.Equal(CommandLine.ExitFailure, compiled.ExitCode);
        Assert.Contains("exceeds", compiled.Out);
        var run = Cli.Run("run", "--codefile", f, "--engine", "jit");
        Assert.Equal(CommandLine.ExitOk, run.ExitCode);
        Assert.Contains("gas used: 65537", run.Out);
        Assert.Empty(run.Error);
    }

    [Fact]
    public void Any_other_exception_is_one_line_with_exit_1()
    {
        var r = Cli.Capture(() => CommandLine.Invoke(new ThrowingCommand(), []));
        Cli.AssertOneLine(r, CommandLine.ExitFailure, "jevm boom: internal error: NullReferenceException", "deliberate");
    }

    private sealed class ThrowingCommand : ICommand
    {
        public string Name => "boom";
        public string Summary => "";
        public string Usage => "";
        public int Run(string[] args) => throw new NullReferenceException("deliberate\nsecond line");
    }
}
