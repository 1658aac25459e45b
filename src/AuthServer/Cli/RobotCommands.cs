using AuthServer.Core.Identity;
using AuthServer.Core.Policy;

namespace AuthServer.Cli;

internal sealed class RobotCommands(CliContext cli)
{
    internal sealed record RobotView(
        string Name, string Owner, string State, string? Description, IReadOnlyList<string>? Scopes,
        DateTime? ExpiresAt, DateTime CreatedAt, DateTime? LastUsedAt)
    {
        public static RobotView From(Robot r, DateTime now) => new(
            r.Name, RobotService.OwnerText(r), r.IsDisabled ? "disabled" : r.IsExpired(now) ? "expired" : "active",
            r.Description, ScopeLimits.FromStored(r.ScopeLimits)?.ToStrings(), r.ExpiresAt, r.CreatedAt, r.LastUsedAt);
    }

    private readonly Argument<string> Name = new("name") { Description = "The robot's login name, owner+name (robot+name when system-wide)" };

    public Command Create()
    {
        var command = new Command("robot", "Manage robot accounts: machine credentials that sign in as owner+name with a secret");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(SetDisabled("disable", true, "Disable a robot: refused from the next request on, its sessions end"));
        command.Subcommands.Add(SetDisabled("enable", false, "Enable a disabled robot"));
        command.Subcommands.Add(Delete());
        return command;
    }

    private Command Add()
    {
        var name = new Argument<string>("name") { Description = "Robot name; it signs in as OWNER+NAME" };
        var owner = new Option<string?>("--owner") { Description = "user:NAME or group:NAME (default: system-wide, login robot+NAME)" };
        var description = new Option<string?>("--description") { Description = "What the robot is for" };
        var expires = new Option<string?>("--expires") { Description = "Expiry: a duration (90d, 12h) or a date (2027-01-31)" };
        var scopes = ScopeOption.Create();
        var command = new Command("add", "Create a robot and print its secret once") { name, owner, description, expires, scopes };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var spec = new RobotSpec(parse.GetValue(name)!, parse.GetValue(owner), parse.GetValue(description),
                TimeInput.Expiry(parse.GetValue(expires), "--expires", now), parse.GetValue(scopes));
            var created = await services.GetRequiredService<RobotService>().CreateAsync(spec, ct);
            output.Done(
                $"created robot {created.Robot.Name}; its secret, shown only this once:\n{created.Secret}\n" +
                $"sign in with: docker login -u {created.Robot.Name} --password-stdin",
                new { robot = RobotView.From(created.Robot, now), secret = created.Secret });
        });
        return command;
    }

    private Command List()
    {
        var owner = new Option<string?>("--owner") { Description = "Only robots of user:NAME, group:NAME or system" };
        var command = new Command("list", "List robots") { owner };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var robots = await services.GetRequiredService<RobotService>().ListAsync(parse.GetValue(owner), ct);
            output.List(robots.Select(r => RobotView.From(r, now)).ToList(), ["NAME", "OWNER", "STATE", "EXPIRES", "LAST USED", "SCOPES"],
                r => [r.Name, r.Owner, r.State, Cell(r.ExpiresAt), Cell(r.LastUsedAt), r.Scopes is null ? "(rules only)" : string.Join(' ', r.Scopes)]);
        });
        return command;
    }

    private Command SetDisabled(string verb, bool disabled, string description)
    {
        var command = new Command(verb, description) { Name };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var robot = await services.GetRequiredService<RobotService>().SetDisabledAsync(parse.GetValue(Name)!, disabled, ct);
            output.Done($"robot {robot.Name} {verb}d", new { name = robot.Name, disabled });
        });
        return command;
    }

    private Command Delete()
    {
        var command = new Command("delete", "Delete a robot, its sessions and the rules naming it") { Name };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var name = parse.GetValue(Name)!;
            await services.GetRequiredService<RobotService>().DeleteAsync(name, ct);
            output.Done($"robot {name} deleted", new { name, deleted = true });
        });
        return command;
    }

    internal static string Cell(DateTime? at) => at?.ToString("u") ?? "-";
}
