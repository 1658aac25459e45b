using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Hosting;

/// <summary>
/// The real executable, started with no command as the container starts it, stopped with SIGTERM
/// while clients keep asking: it exits 0, and every request it answered is in the audit log
/// (issue 12, item 5). One launch: this is one of the few tests that pay for a process.
/// </summary>
public sealed class GracefulStopTests : IDisposable
{
    private const int SigTerm = 15;
    private readonly string _data = TempDirectory.Create("authserver-stop");

    public void Dispose() => TempDirectory.Delete(_data);

    [Fact]
    public async Task Sigterm_finishes_answered_requests_writes_their_audit_events_and_last_used_times_and_exits_0()
    {
        Assert.Equal(0, (await InProcessCli.RunAsync(_data, null, "migrate")).ExitCode);
        var robot = JsonDocument.Parse((await InProcessCli.RunAsync(_data, null, "robot", "add", "stopper", "--json")).Output).RootElement;
        var (login, secret) = (robot.GetProperty("robot").GetProperty("name").GetString()!, robot.GetProperty("secret").GetString()!);
        var port = FreePort.Next();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "authserver.dll"));
        foreach (var (key, value) in AuthServerFixture.BaseSettings(_data)) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        // Events wait in the queue for seconds and last-used times are never flushed by the timer:
        // only the stop can write them.
        start.Environment["AuthServer__Audit__BatchDelay"] = "00:00:05";
        start.Environment["AuthServer__Credentials__LastUsedFlushInterval"] = "01:00:00";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilHealthyAsync(http, process);

            var answered = 0;
            var keepAsking = Task.Run(async () =>
            {
                while (true)
                {
                    try
                    {
                        var answer = await http.GetTokenAsync("service=registry&scope=repository:team/app:pull", AuthServerFixture.Basic(login, secret));
                        Assert.Equal(HttpStatusCode.OK, answer.Status);
                        Interlocked.Increment(ref answered);
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                }
            });
            while (Volatile.Read(ref answered) < 20 && !keepAsking.IsCompleted) await Task.Delay(10);
            Assert.Equal(0, kill(process.Id, SigTerm));
            await keepAsking.WaitAsync(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await errors}");
            var events = JsonDocument.Parse((await InProcessCli.RunAsync(_data, null, "audit", "--subject", login, "--type", "token.request", "--limit", "1000", "--json")).Output);
            Assert.Equal(answered, events.RootElement.GetArrayLength());
            var listed = JsonDocument.Parse((await InProcessCli.RunAsync(_data, null, "robot", "list", "--json")).Output).RootElement.EnumerateArray().Single();
            Assert.Equal(JsonValueKind.String, listed.GetProperty("lastUsedAt").ValueKind);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process process)
    {
        for (var i = 0; i < 600; i++)
        {
            Assert.False(process.HasExited, "the server exited before it answered /healthz");
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail("the server did not answer /healthz within a minute");
    }


    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
