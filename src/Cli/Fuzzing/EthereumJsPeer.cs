using Jevm.Evm;

namespace Jevm.Cli.Fuzzing;

/// <summary>Placeholder, filled in below.</summary>
internal sealed class EthereumJsPeer : IPeer
{
    public string Name => "ethereumjs";
    public static Func<IPeer> Prepare(TextWriter log) => throw new UsageException("peer not available yet");
    public PeerResult Run(byte[] stateTestJson, string testName, Fork fork) => throw new NotSupportedException();
    public void Dispose() { }
}
