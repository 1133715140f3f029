using Jevm.Cli;
using Jevm.Cli.Commands;

namespace Jevm.Tests.Ir;

/// <summary>`jevm ir`: output and usage errors (exit code 2 with one line).</summary>
public class IrCommandTests
{
    private static (int Code, string Out) Run(params string[] args)
    {
        var o = new StringWriter();
        return (new IrCommand().Run(args, o), o.ToString());
    }

    [Fact]
    public void PrintsTheIr()
    {
        var (code, output) = Run("--code", "0x6001600201", "--fork", "Cancun");
        Assert.Equal(0, code);
        // PUSH1 1 (3); PUSH1 2 (3); ADD (3) folded away; the sum is left on the stack at the end of the code.
        Assert.Equal("; 5 bytes, fork Cancun, 1 block\nb0 0x0..0x5 gas=9 need=0 max=+2 delta=+1\n  -> stop (end of code)\n", output);
        (code, output) = Run("--code", "6001600201", "--no-opt", "--fork", "cancun");
        Assert.Equal(0, code);
        Assert.Contains("  %0 = ADD 0x2, 0x1 @0x4\n", output);
    }

    [Fact]
    public void ReadsACodeFile()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "0x60 01\n60 02 01\n");
            var (code, output) = Run("--codefile", path);
            Assert.Equal(0, code);
            Assert.StartsWith("; 5 bytes, fork Osaka, 1 block\n", output);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("--code", "0xzz")]
    [InlineData("--code", "123")]
    [InlineData("--codefile", "/no/such/file.hex")]
    [InlineData("--code", "00", "--fork", "Atlantis")]
    [InlineData("--code")]
    [InlineData()]
    [InlineData("--code", "00", "--codefile", "x")]
    [InlineData("--bogus")]
    [InlineData("--corpus", "/no/such/dir")]
    public void BadInputIsAOneLineUsageError(params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => Run(args));
        Assert.DoesNotContain('\n', e.Message);
        Assert.NotEmpty(e.Message);
        Assert.Equal(CommandLine.ExitUsage, CommandLine.Run(["ir", .. args]));
    }
}
