using System.Net.Sockets;

namespace AuthServer.Interop.Tests.ScaleOut;

/// <summary>
/// Debian's HAProxy on deploy/haproxy/haproxy.cfg, unchanged: the addresses it binds and forwards
/// to come from the environment, as in compose. Logs go to its stdout, kept for failure messages.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private HaproxyProcess(BackgroundProcess process) => _process = process;

    public string Log => _process.Output;

    /// <summary>Starts it and waits until <paramref name="port"/> (one of its binds) takes connections.</summary>
    public static async Task<HaproxyProcess> StartAsync(string config, IReadOnlyDictionary<string, string?> environment, int port)
    {
        var haproxy = Tools.Haproxy;
        var check = await ProcessRunner.RunAsync(haproxy, ["-c", "-f", config], environment);
        Assert.True(check.ExitCode == 0, $"haproxy refuses {config}:\n{check}");
        var process = BackgroundProcess.Start("haproxy", haproxy, ["-db", "-f", config], environment);
        try
        {
            await Eventually.WaitUntilAsync(async () =>
            {
                Assert.False(process.HasExited, process.Output);
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, "haproxy listening", seconds: 30);
            return new HaproxyProcess(process);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
