using BenchmarkDotNet.Running;

#if DEBUG
Console.Error.WriteLine("warning: benchmarks built in Debug; run with -c Release for meaningful figures");
#endif
if (args is ["--keccak-cputime"])
{
    Jevm.Perf.KeccakCpuTime.Run();
    return 0;
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
foreach (var s in summaries)
    if (s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) return 1;
return 0;
