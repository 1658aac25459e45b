using AuthServer.Core.Identity;
using AuthServer.Core.Policy;

namespace AuthServer.Cli;

internal sealed class TokenCommands(CliContext cli)
{
    internal sealed record AccessTokenView(
        string User, string Name, string State, IReadOnlyList<string>? Scopes, DateTime? ExpiresAt, DateTime CreatedAt,
        DateTime? LastUsedAt, DateTime? RevokedAt)
    {
        public static AccessTokenView From(AccessToken t, DateTime now) => new(
            t.User.Name, t.Name, t.RevokedAt is not null ? "revoked" : t.IsExpired(now) ? "expired" : "active",
            ScopeLimits.FromStored(t.ScopeLimits)?.ToStrings(), t.ExpiresAt, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
    }

    private readonly Argument<string> User = new("user") { Description = "The user the token acts as" };

    public Command Create()
    {
        var command = new Command("token", "Manage personal access tokens: secrets a user gives tools instead of a password");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private Command Add()
    {
        var name = new Option<string>("--name") { Description = "What the token is for, unique among the user's tokens", Required = true };
        var expires = new Option<string?>("--expires") { Description = "Expiry: a duration (90d, 12h) or a date (2027-01-31)" };
        var scopes = ScopeOption.Create();
        var command = new Command("add", "Create an access token for a user and print its secret once") { User, name, expires, scopes };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var spec = new AccessTokenSpec(parse.GetValue(name)!, TimeInput.Expiry(parse.GetValue(expires), "--expires", now), parse.GetValue(scopes));
            var created = await services.GetRequiredService<AccessTokenService>().CreateAsync(parse.GetValue(User)!, spec, ct);
            output.Done(
                $"created access token {created.Token.Name} for {created.Token.User.Name}; its secret, shown only this once:\n{created.Secret}\n" +
                $"sign in with: docker login -u {created.Token.User.Name} --password-stdin",
                new { token = AccessTokenView.From(created.Token, now), secret = created.Secret });
        });
        return command;
    }

    private Command List()
    {
        var user = new Argument<string?>("user") { Description = "Only this user's tokens", Arity = ArgumentArity.ZeroOrOne };
        var all = Flags.Flag("--all", "Include revoked tokens");
        var command = new Command("list", "List access tokens (never their secrets)") { user, all };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var tokens = await services.GetRequiredService<AccessTokenService>().ListAsync(parse.GetValue(user), parse.GetValue(all), ct);
            output.List(tokens.Select(t => AccessTokenView.From(t, now)).ToList(), ["USER", "NAME", "STATE", "EXPIRES", "LAST USED", "SCOPES"],
                t => [t.User, t.Name, t.State, RobotCommands.Cell(t.ExpiresAt), RobotCommands.Cell(t.LastUsedAt),
                    t.Scopes is null ? "(all the user may do)" : string.Join(' ', t.Scopes)]);
        });
        return command;
    }

    private Command Revoke()
    {
        var name = new Argument<string>("name") { Description = "The token's name" };
        var command = new Command("revoke", "Revoke an access token: refused from the next request on, its sessions end") { User, name };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var token = await services.GetRequiredService<AccessTokenService>().RevokeAsync(parse.GetValue(User)!, parse.GetValue(name)!, ct);
            output.Done($"access token {token.Name} of {parse.GetValue(User)} revoked", new { user = parse.GetValue(User), name = token.Name, revoked = true });
        });
        return command;
    }
}
