using AuthServer.Core.Identity;

namespace AuthServer.Cli;

internal sealed class SessionCommands(CliContext cli)
{
    private const int MaxLimit = 500;

    private readonly Option<string?> User = new("--user") { Description = "The sessions of this user" };
    private readonly Option<string?> Robot = new("--robot") { Description = "The sessions of this robot" };

    public Command Create()
    {
        var command = new Command("session", "Refresh sessions: the offline logins docker login keeps as its identity token");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private Command List()
    {
        var all = Flags.Flag("--all", "Include ended sessions");
        var text = new Option<string?>("--filter") { Description = "Only sessions with this text in their account, client, address, service or access token" };
        var offset = new Option<int>("--offset") { Description = "Skip this many sessions (to page on)", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = $"At most this many sessions, most recently used first (1-{MaxLimit})", DefaultValueFactory = _ => 100 };
        offset.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--offset must not be negative"); });
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > MaxLimit) r.AddError($"--limit must be between 1 and {MaxLimit}"); });
        var command = new Command("list", "List refresh sessions (never their tokens), most recently used first") { User, Robot, all, text, offset, limit };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var filter = new SessionFilter(parse.GetValue(User), parse.GetValue(Robot), parse.GetValue(all), parse.GetValue(text));
            var skip = parse.GetValue(offset);
            var page = await services.GetRequiredService<RefreshSessionService>().ListAsync(filter, skip, parse.GetValue(limit), ct);
            var sessions = page.Items;
            output.List(sessions, ["ID", "ACCOUNT", "CREDENTIAL", "SERVICE", "CLIENT", "ADDRESS", "CREATED", "LAST USED", "STATE"],
                s => [s.Id.ToString(), s.Account, Credential(s), s.Service, s.ClientId ?? "-", s.ClientIp ?? "-",
                    s.CreatedAt.ToString("u"), s.LastUsedAt.ToString("u"), s.EndReason ?? "active"]);
            output.More(skip, sessions.Count, page.Total, "--offset");
        });
        return command;
    }

    private Command Revoke()
    {
        var id = new Argument<long?>("id") { Description = "The session to end (see session list)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("revoke", "End one session by id, or every session of --user or --robot") { id, User, Robot };
        command.Validators.Add(r =>
        {
            var given = (r.GetValue(id) is null ? 0 : 1) + (r.GetValue(User) is null ? 0 : 1) + (r.GetValue(Robot) is null ? 0 : 1);
            if (given != 1) r.AddError("give a session id, --user NAME or --robot NAME (one of them)");
        });
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var sessions = services.GetRequiredService<RefreshSessionService>();
            if (parse.GetValue(id) is { } sessionId)
            {
                var ended = await sessions.RevokeAsync(sessionId, ct);
                output.Done($"session {ended.Id} of {ended.Account} ended", new { id = ended.Id, account = ended.Account, ended = true });
                return;
            }
            var (account, count) = parse.GetValue(User) is { } user
                ? (user, await sessions.RevokeAllForUserAsync(user, ct))
                : (parse.GetValue(Robot)!, await sessions.RevokeAllForRobotAsync(parse.GetValue(Robot)!, ct));
            output.Done($"{count} sessions of {account} ended", new { account, ended = count });
        });
        return command;
    }

    private static string Credential(SessionView s) => s.Credential switch
    {
        CredentialKind.AccessToken => $"access token {s.AccessToken}",
        CredentialKind.RobotSecret => "robot secret",
        CredentialKind.IdToken => "CI ID token",
        _ => "password",
    };
}
