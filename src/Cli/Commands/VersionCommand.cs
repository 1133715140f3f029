namespace Jevm.Cli.Commands;

internal sealed class VersionCommand : ICommand
{
    public string Name => "version";
    public string Summary => "print the version of jevm and of the .NET runtime";
    public string Usage => "usage: jevm version\n\nPrints jevm's version, the .NET runtime version and the hardware intrinsics in use.";

    public int Run(string[] args)
    {
        if (args.Length > 0) throw new UsageException($"unexpected argument '{args[0]}'");
        Console.WriteLine($"jevm {CommandLine.Version}");
        Console.WriteLine($".NET {Environment.Version} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription} ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");
        Console.WriteLine($"intrinsics: BMI2={System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported} LZCNT={System.Runtime.Intrinsics.X86.Lzcnt.X64.IsSupported} AVX2={System.Runtime.Intrinsics.X86.Avx2.IsSupported}");
        return CommandLine.ExitOk;
    }
}
