using System.Text.Json;
using AuthServer.Cli;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests.Cli;

/// <summary>
/// What an operator types is either done as typed or refused in one line with a non-zero exit:
/// a typo never becomes a different command (issue 12, item 1 and 2). Run in process.
/// </summary>
public sealed class StrictCliTests : IAsyncLifetime
{
    private readonly string _data = TempDirectory.Create("authserver-strict");

    public async Task InitializeAsync()
    {
        Assert.Equal(0, (await Run("migrate")).ExitCode);
        Assert.Equal(0, (await Run("user", "add", "alice", "--password", "long-enough-1")).ExitCode);
    }

    public Task DisposeAsync()
    {
        TempDirectory.Delete(_data);
        return Task.CompletedTask;
    }

    private Task<CliProcess.Result> Run(params string[] args) => InProcessCli.RunAsync(_data, null, args);

    private async Task<JsonElement> Alice()
    {
        var list = await Run("user", "list", "--json");
        return JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "alice");
    }

    private static void AssertUsageError(CliProcess.Result result, string mentions)
    {
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_switch_takes_true_or_false_and_anything_else_changes_nothing()
    {
        AssertUsageError(await Run("user", "update", "alice", "--admin", "maybe"), "--admin takes true or false, not 'maybe'");
        AssertUsageError(await Run("user", "update", "alice", "--disabled", "tru"), "--disabled takes true or false, not 'tru'");
        AssertUsageError(await Run("user", "update", "alice"), "give --admin true|false, --disabled true|false or both");
        var alice = await Alice();
        Assert.False(alice.GetProperty("admin").GetBoolean());
        Assert.False(alice.GetProperty("disabled").GetBoolean());

        Assert.Equal(0, (await Run("user", "update", "alice", "--disabled", "true")).ExitCode);
        Assert.True((await Alice()).GetProperty("disabled").GetBoolean());
        Assert.Equal(0, (await Run("user", "update", "alice", "--disabled", "false")).ExitCode);
        Assert.False((await Alice()).GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task A_flag_takes_no_value_and_a_misspelt_one_is_refused()
    {
        AssertUsageError(await Run("user", "add", "bob", "--admin", "false", "--password", "long-enough-1"), "'false'");
        AssertUsageError(await Run("rule", "add", "--subject", "user:alice", "--pattern", "x/**", "--actions", "pull", "--dney"), "'--dney'");
        Assert.DoesNotContain("bob", (await Run("user", "list")).Output);
        Assert.Single(JsonDocument.Parse((await Run("rule", "list", "--json")).Output).RootElement.EnumerateArray());
    }

    [Theory]
    [InlineData("user", "list", "--bogus")]
    [InlineData("user", "list", "extra")]
    [InlineData("user", "delete", "alice", "bob")]
    [InlineData("keys", "list", "--activate")]
    [InlineData("audit", "--limit", "many")]
    [InlineData("frobnicate")]
    public async Task Unknown_options_extra_arguments_and_wrong_types_are_usage_errors(params string[] args)
    {
        var result = await Run(args);
        AssertUsageError(result, "see: authserver");
        Assert.Equal(0, (await Run("user", "list")).ExitCode);
    }

    [Fact]
    public async Task Json_makes_errors_json_too()
    {
        var conflict = await Run("user", "add", "alice", "--password", "long-enough-1", "--json");
        Assert.Equal(ExitCodes.Refused, conflict.ExitCode);
        var error = JsonDocument.Parse(conflict.Error).RootElement;
        Assert.Equal(("user 'alice' already exists", "conflict", 1),
            (error.GetProperty("error").GetString(), error.GetProperty("kind").GetString(), error.GetProperty("exitCode").GetInt32()));

        var usage = JsonDocument.Parse((await Run("user", "list", "--bogus", "--json")).Error).RootElement;
        Assert.Equal(("usage", 2), (usage.GetProperty("kind").GetString(), usage.GetProperty("exitCode").GetInt32()));
    }

    [Fact]
    public async Task Rule_add_refuses_unknown_actions_and_what_rule_lint_calls_an_error()
    {
        AssertUsageError(await Run("rule", "add", "--subject", "user:alice", "--pattern", "x/**", "--actions", "pull,pish"), "'pish' is not an action");
        var robot = await Run("robot", "add", "ci", "--json");
        var login = JsonDocument.Parse(robot.Output).RootElement.GetProperty("robot").GetProperty("name").GetString()!;

        var refused = await Run("rule", "add", "--subject", $"robot:{login}", "--pattern", "${user}/**", "--actions", "pull");
        Assert.Equal(ExitCodes.Refused, refused.ExitCode);
        Assert.Contains("(rule lint: user-variable)", refused.Error);
        var unreachable = await Run("rule", "add", "--subject", "authenticated", "--pattern", "team/-bad-", "--actions", "pull");
        Assert.Contains("(rule lint: pattern-unreachable)", unreachable.Error);
        Assert.Single(JsonDocument.Parse((await Run("rule", "list", "--json")).Output).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Rule_lint_exits_1_when_it_reports_an_error_and_0_when_only_warnings()
    {
        Assert.Equal(0, (await Run("group", "add", "nobody-in-it")).ExitCode);
        Assert.Equal(0, (await Run("rule", "add", "--subject", "group:nobody-in-it", "--pattern", "x/**", "--actions", "pull")).ExitCode);
        var warnings = await Run("rule", "lint");
        Assert.Equal((0, true), (warnings.ExitCode, warnings.Output.Contains("empty-group")));

        // A deny added later leaves an allow rule granting nothing: lint calls that an error.
        Assert.Equal(0, (await Run("rule", "add", "--subject", "authenticated", "--pattern", "locked/app", "--actions", "pull")).ExitCode);
        Assert.Equal(0, (await Run("rule", "add", "--subject", "anonymous", "--pattern", "locked/**", "--actions", "*", "--deny")).ExitCode);
        var errors = await Run("rule", "lint", "--json");
        Assert.Equal(ExitCodes.Refused, errors.ExitCode);
        Assert.Contains(JsonDocument.Parse(errors.Output).RootElement.EnumerateArray(), f => f.GetProperty("code").GetString() == "grants-nothing");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_is_shown_for_the_bare_command(string option)
    {
        var result = await Run(option);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("backup", result.Output);
    }

    [Fact]
    public async Task A_command_where_no_database_exists_refuses_and_creates_nothing()
    {
        var empty = Path.Combine(_data, "elsewhere");
        var result = await InProcessCli.RunAsync(empty, null, "user", "add", "mallory", "--admin", "--password", "long-enough-1");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var line = Assert.Single(result.Error.Trim().Split('\n'));
        Assert.Contains($"no database in {empty}", line);
        Assert.Contains("--AuthServer:DataDirectory=DIR", line);
        Assert.False(Directory.Exists(empty));
    }

    [Fact]
    public async Task A_setting_on_the_command_line_points_a_command_at_another_data_directory()
    {
        var settings = AuthServerFixture.BaseSettings(_data);
        settings.Remove("AuthServer:DataDirectory");
        var output = new StringWriter();
        var environment = new CliEnvironment(new StringReader(""), output, new StringWriter(), false, settings);

        var exit = await CliApp.RunAsync(["user", "list", $"--AuthServer:DataDirectory={_data}"], environment, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Contains("alice", output.ToString());
    }

    [Fact]
    public async Task Healthcheck_takes_a_url_and_refuses_one_that_is_not_http()
    {
        AssertUsageError(await Run("healthcheck", "--url", "not a url"), "is not an absolute http or https URL");
        var down = await Run("healthcheck", "--url", "http://127.0.0.1:1/healthz");
        Assert.Equal(ExitCodes.Refused, down.ExitCode);
        Assert.StartsWith("error: unhealthy: http://127.0.0.1:1/healthz did not answer", down.Error);
    }

    [Fact]
    public async Task The_first_administrators_password_goes_to_a_private_file_when_stderr_is_no_terminal()
    {
        var data = Path.Combine(_data, "bootstrap");
        var settings = AuthServerFixture.BaseSettings(data);
        settings.Remove("AuthServer:Bootstrap:AdminPassword");
        var error = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["migrate"], new CliEnvironment(new StringReader(""), new StringWriter(), error, false, settings), CancellationToken.None));

        Assert.Equal(0, await CliApp.RunAsync(["user", "list"], new CliEnvironment(new StringReader(""), new StringWriter(), error, false, settings), CancellationToken.None));

        var file = Path.Combine(data, "first-admin-password");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.True(password.Length >= 16);
        Assert.Contains(file, error.ToString());
        Assert.DoesNotContain(password, error.ToString());
    }
}
