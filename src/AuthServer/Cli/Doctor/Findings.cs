using AuthServer.Core.Signing;

namespace AuthServer.Cli;

/// <summary>What a doctor check found, one line each: <c>ok</c>, <c>warning</c> (exit 0) or <c>error</c> (exit 1), every problem with its fix.</summary>
internal sealed class Findings
{
    private readonly List<SigningFinding> _all = [];

    public IReadOnlyList<SigningFinding> All => _all;

    public void Ok(string message) => _all.Add(new("ok", message));

    public void Warn(string message) => _all.Add(new("warning", message));

    public void Error(string message) => _all.Add(new("error", message));
}
