using AuthServer.Core.Errors;
using AuthServer.Core.Federation;

namespace AuthServer.Cli;

/// <summary><c>authserver trust add|list|delete</c>: keyless CI trusts kept in the database, beside the settings' read-only ones.</summary>
internal sealed class TrustCommands(CliContext cli)
{
    internal sealed record TrustView(
        string Name, string Issuer, IReadOnlyList<string> Audiences, IReadOnlyDictionary<string, string> Claims, string Robot,
        TimeSpan? MaxTokenLifetime, bool AllowRefresh, string Source)
    {
        public static TrustView From(Trust trust) => new(
            trust.Options.Name, trust.Options.Issuer, trust.Options.Audiences, trust.Options.Claims, trust.Options.Robot,
            trust.Options.MaxTokenLifetime, trust.Options.AllowRefresh, trust.FromSettings ? "settings" : "database");
    }

    public Command Create()
    {
        var command = new Command("trust", "Manage keyless CI trusts: which CI jobs' ID tokens sign in as which robot");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        return command;
    }

    private Command Add()
    {
        var name = new Argument<string>("name") { Description = "A name for the trust (audit log, delete)" };
        var issuer = new Option<string>("--issuer") { Description = "The issuer exactly as the tokens' iss says it (https://token.actions.githubusercontent.com)", Required = true };
        var audiences = new Option<string[]>("--audience") { Description = "An accepted aud value (repeat for more)", Required = true };
        var claims = new Option<string[]>("--claim") { Description = "A condition CLAIM=PATTERN, * any run of characters, ? one (repeat; all must match)", Required = true };
        var robot = new Option<string>("--robot") { Description = "The robot (owner+name) the job signs in as", Required = true };
        var lifetime = new Option<string?>("--max-token-lifetime") { Description = "The longest registry token it gives (10m, 1h); never past the ID token's expiry" };
        var refresh = new Option<bool>("--allow-refresh") { Description = "Give docker login a refresh token (it ends with the ID token anyway)" };
        var command = new Command("add", "Add a trust; it is checked like one in the settings") { name, issuer, audiences, claims, robot, lifetime, refresh };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var trust = new TrustOptions
            {
                Name = parse.GetValue(name)!,
                Issuer = parse.GetValue(issuer)!,
                Audiences = [.. parse.GetValue(audiences) ?? []],
                Claims = Conditions(parse.GetValue(claims) ?? []),
                Robot = parse.GetValue(robot)!,
                MaxTokenLifetime = TimeInput.Span(parse.GetValue(lifetime), "--max-token-lifetime"),
                AllowRefresh = parse.GetValue(refresh),
            };
            var added = await services.GetRequiredService<TrustService>().AddAsync(trust, ct);
            output.Done($"added trust {added.Options.Name}: ID tokens of {added.Options.Issuer} sign in as {added.Options.Robot} when their claims match",
                TrustView.From(added));
        });
        return command;
    }

    private Command List()
    {
        var command = new Command("list", "List the trusts in force (settings and database)");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var trusts = await services.GetRequiredService<TrustService>().ListAsync(ct);
            output.List(trusts.Select(TrustView.From).ToList(), ["NAME", "SOURCE", "ISSUER", "AUDIENCES", "CLAIMS", "ROBOT"],
                t => [t.Name, t.Source, t.Issuer, string.Join(' ', t.Audiences), string.Join(' ', t.Claims.Select(c => $"{c.Key}={c.Value}")), t.Robot]);
        });
        return command;
    }

    private Command Delete()
    {
        var name = new Argument<string>("name") { Description = "The trust's name" };
        var command = new Command("delete", "Delete a trust added here (a trust of the settings is removed from the settings)") { name };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var trust = parse.GetValue(name)!;
            await services.GetRequiredService<TrustService>().DeleteAsync(trust, ct);
            output.Done($"trust {trust} deleted", new { name = trust, deleted = true });
        });
        return command;
    }

    private static Dictionary<string, string> Conditions(IEnumerable<string> claims)
    {
        var conditions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            var at = claim.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0) throw new ValidationFailedException("--claim", $"--claim '{claim}' is not CLAIM=PATTERN");
            conditions[claim[..at]] = claim[(at + 1)..];
        }
        return conditions;
    }
}
