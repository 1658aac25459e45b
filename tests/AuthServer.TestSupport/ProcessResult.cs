namespace AuthServer.TestSupport;

/// <summary>What a finished command printed. <see cref="Command"/> never holds a secret.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public bool Succeeded => ExitCode == 0;

    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0) throw new Xunit.Sdk.XunitException($"`{Command}` exited with {ExitCode}:\n{Output}");
        return this;
    }

    /// <summary>The command failed, and its own message says why in one of these words.</summary>
    public ProcessResult EnsureRefused(params string[] anyOf)
    {
        Assert.True(ExitCode != 0, $"`{Command}` was expected to fail but succeeded:\n{Output}");
        Assert.True(anyOf.Any(word => Output.Contains(word, StringComparison.OrdinalIgnoreCase)),
            $"`{Command}` failed without saying any of [{string.Join(", ", anyOf)}]:\n{Output}");
        return this;
    }
}
