using System.Net;
using System.Text.RegularExpressions;
using AuthServer.Interop.Tests.Infrastructure;

namespace AuthServer.Interop.Tests.Deployment;

/// <summary>
/// No image can be built here (no base images, no internet), so the Dockerfile is checked by
/// running its build stage's own dotnet commands and starting what they publish the way the
/// runtime stage does: its ENV, its ENTRYPOINT and CMD, its HEALTHCHECK.
/// </summary>
public sealed class DockerfileTests : IDisposable
{
    private const string ImageAppDirectory = "/app";
    private readonly Dockerfile _dockerfile = Dockerfile.Parse(File.ReadAllText(Repository.PathOf("Dockerfile")));
    private readonly string _app = TempDirectory.Create("interop-publish");
    private readonly string _data = TempDirectory.Create("interop-data");

    public void Dispose()
    {
        TempDirectory.Delete(_app);
        TempDirectory.Delete(_data);
    }

    [Fact]
    public void Runtime_stage_runs_as_non_root_with_a_data_volume_a_port_and_a_health_check()
    {
        var runtime = _dockerfile.Runtime;
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", _dockerfile.All(runtime, "FROM").Single());
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", _dockerfile.All(_dockerfile.Build, "FROM").Single());
        Assert.Equal("$APP_UID", _dockerfile.All(runtime, "USER").Single());
        Assert.Equal("/data", _dockerfile.All(runtime, "VOLUME").Single());
        var environment = _dockerfile.Environment(runtime);
        Assert.Equal("/data", environment["AuthServer__DataDirectory"]);
        // Inside the container it listens on every interface, on the port it exposes.
        var urls = Regex.Match(environment["Urls"], @"^http://0\.0\.0\.0:(?<port>\d+)$");
        Assert.True(urls.Success, environment["Urls"]);
        Assert.Equal(urls.Groups["port"].Value, _dockerfile.All(runtime, "EXPOSE").Single());
        Assert.Equal(["dotnet", "/app/authserver.dll", "healthcheck"], Dockerfile.ExecForm(_dockerfile.All(runtime, "HEALTHCHECK").Single()));
    }

    [Fact]
    public void Restore_layer_copies_every_project_the_app_references()
    {
        // In an image build only what is copied before `dotnet restore` exists; here every file does.
        var restore = _dockerfile.Build.TakeWhile(i => !(i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet restore")));
        var copied = restore.Where(i => i.Instruction == "COPY")
            .SelectMany(i => i.Arguments.Split(' ')[..^1]).Where(f => f.EndsWith(".csproj")).ToHashSet();
        var needed = new HashSet<string>();
        var pending = new Stack<string>(["src/AuthServer/AuthServer.csproj"]);
        while (pending.TryPop(out var project))
        {
            if (!needed.Add(project)) continue;
            var xml = System.Xml.Linq.XDocument.Load(Repository.PathOf(project));
            foreach (var reference in xml.Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repository.PathOf(project))!, reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(Repository.Root, full).Replace('\\', '/'));
            }
        }
        Assert.Empty(needed.Except(copied));
    }

    [Fact]
    public async Task Build_stage_publishes_an_app_that_starts_and_answers_healthz()
    {
        foreach (var run in _dockerfile.All(_dockerfile.Build, "RUN"))
        {
            var words = run.Split(' ').Select(w => w == ImageAppDirectory ? _app : w).ToArray();
            Assert.Equal("dotnet", words[0]);
            var result = await ProcessRunner.RunAsync("dotnet", words[1..], new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
                timeout: TimeSpan.FromMinutes(5), workingDirectory: Repository.Root);
            result.EnsureSuccess();
        }
        Assert.True(File.Exists(Path.Combine(_app, "authserver.dll")), "publish wrote no authserver.dll");

        var port = FreePort.Next();
        var environment = _dockerfile.Environment(_dockerfile.Runtime).ToDictionary(e => e.Key, e => (string?)e.Value);
        // As in the container, except for where it listens and keeps its data.
        environment["Urls"] = $"http://127.0.0.1:{port}";
        environment["AuthServer__DataDirectory"] = _data;
        environment["AuthServer__Bootstrap__AdminPassword"] = "container-admin-1";
        var command = Dockerfile.ExecForm(_dockerfile.All(_dockerfile.Runtime, "ENTRYPOINT").Single())
            .Concat(Dockerfile.ExecForm(_dockerfile.All(_dockerfile.Runtime, "CMD").Single()))
            .Select(InApp).ToArray();
        var healthCheck = Dockerfile.ExecForm(_dockerfile.All(_dockerfile.Runtime, "HEALTHCHECK").Single()).Select(InApp).ToArray();

        await using (var server = BackgroundProcess.Start("published authserver", command[0], command[1..], environment))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Eventually.WaitUntilAsync(async () =>
            {
                Assert.False(server.HasExited, server.Output);
                try
                {
                    return (await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "answer from /healthz", seconds: 60);

            (await ProcessRunner.RunAsync(healthCheck[0], healthCheck[1..], environment)).EnsureSuccess();
            Assert.True(File.Exists(Path.Combine(_data, "authserver.db")), "no database in the data directory");
        }
        var stopped = await ProcessRunner.RunAsync(healthCheck[0], healthCheck[1..], environment);
        Assert.Equal(1, stopped.ExitCode);
        Assert.Contains("unhealthy", stopped.Stderr);
    }

    private string InApp(string word) => word.StartsWith(ImageAppDirectory + "/") ? _app + word[ImageAppDirectory.Length..] : word;
}
