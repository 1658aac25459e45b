using AuthServer.Core.Identity;
using AuthServer.Core.SignIn;

namespace AuthServer.Cli;

internal sealed class UserCommands(CliContext cli)
{
    private sealed record UserView(string Name, bool Admin, bool Disabled, DateTime CreatedAt, DateTime UpdatedAt, string Source, bool SourceDenied)
    {
        public static UserView From(User u) => new(u.Name, u.IsAdmin, u.IsDisabled, u.CreatedAt, u.UpdatedAt, u.Source, u.SourceDenied);
    }

    public Command Create()
    {
        var command = new Command("user", "Manage users");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Passwd());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(SetDisabled("disable", disabled: true, "Disable a user: no more tokens, refresh sessions end"));
        command.Subcommands.Add(SetDisabled("enable", disabled: false, "Enable a disabled user"));
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Unlock());
        return command;
    }

    private readonly Argument<string> Name = new("name") { Description = "User name (case-insensitive)" };
    private readonly Passwords _passwords = new(cli.Environment);

    private Command Add()
    {
        var admin = Flags.Flag("--admin", "Make the user an administrator (granted everything)");
        var command = new Command("add", "Create a user") { Name, admin };
        _passwords.AddTo(command);
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var (password, generated) = _passwords.Read(parse);
            var user = await services.GetRequiredService<UserService>().CreateAsync(parse.GetValue(Name)!, password, parse.GetValue(admin), ct);
            var message = $"created user {user.Name}" + (generated ? $" with password: {password}" : "");
            output.Done(message, new { user = UserView.From(user), password = generated ? password : null });
        });
        return command;
    }

    private Command List()
    {
        var filter = new Option<string?>("--filter") { Description = "Only names containing this text" };
        var command = new Command("list", "List users") { filter };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var users = await services.GetRequiredService<UserService>().ListAsync(parse.GetValue(filter), 0, int.MaxValue, ct);
            output.List(users.Select(UserView.From).ToList(), ["NAME", "SOURCE", "ADMIN", "DISABLED", "CREATED"],
                u => [u.Name, u.SourceDenied ? $"{u.Source} (refused)" : u.Source, u.Admin ? "yes" : "", u.Disabled ? "yes" : "", u.CreatedAt.ToString("u")]);
        });
        return command;
    }

    private Command Passwd()
    {
        var command = new Command("passwd", "Set a user's password; their refresh sessions end") { Name };
        _passwords.AddTo(command);
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var (password, generated) = _passwords.Read(parse);
            var name = parse.GetValue(Name)!;
            await services.GetRequiredService<UserService>().SetPasswordAsync(name, password, ct);
            output.Done($"password of {name} changed" + (generated ? $" to: {password}" : ""), new { name, password = generated ? password : null });
        });
        return command;
    }

    private Command Update()
    {
        var admin = Flags.Switch("--admin", "Make the user an administrator, or no longer one");
        var disabled = Flags.Switch("--disabled", "Disable the user, or enable them");
        var command = new Command("update", "Change a user's admin or disabled flag") { Name, admin, disabled };
        command.Validators.Add(r =>
        {
            if (r.GetResult(admin) is null && r.GetResult(disabled) is null) r.AddError("give --admin true|false, --disabled true|false or both");
        });
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var user = await services.GetRequiredService<UserService>()
                .UpdateAsync(parse.GetValue(Name)!, new UserUpdate(Flags.ValueOf(parse, admin), Flags.ValueOf(parse, disabled)), ct);
            output.Done($"user {user.Name}: admin {(user.IsAdmin ? "yes" : "no")}, disabled {(user.IsDisabled ? "yes" : "no")}", UserView.From(user));
        });
        return command;
    }

    private Command SetDisabled(string verb, bool disabled, string description)
    {
        var command = new Command(verb, description) { Name };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var name = parse.GetValue(Name)!;
            await services.GetRequiredService<UserService>().SetDisabledAsync(name, disabled, ct);
            output.Done($"user {name} {verb}d", new { name, disabled });
        });
        return command;
    }

    private Command Delete()
    {
        var command = new Command("delete", "Delete a user, their memberships, sessions and the rules naming them") { Name };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var name = parse.GetValue(Name)!;
            await services.GetRequiredService<UserService>().DeleteAsync(name, ct);
            output.Done($"user {name} deleted", new { name, deleted = true });
        });
        return command;
    }

    private Command Unlock()
    {
        var name = new Argument<string?>("name") { Description = "The user to unlock", Arity = ArgumentArity.ZeroOrOne };
        var address = new Option<string?>("--address") { Description = "Unlock this client address instead (an IPv6 address unlocks its /64)" };
        var command = new Command("unlock", "Lift a lockout after failed sign-ins; running servers apply it within a second") { name, address };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(name) is null) == (r.GetValue(address) is null)) r.AddError("give a user name or --address ADDRESS (one of them)");
        });
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var lockouts = services.GetRequiredService<LockoutService>();
            if (parse.GetValue(name) is { } user)
            {
                await lockouts.UnlockUserAsync(user, ct);
                output.Done($"user {user} unlocked", new { user, unlocked = true });
                return;
            }
            var key = await lockouts.UnlockAddressAsync(parse.GetValue(address)!, ct);
            output.Done($"address {key} unlocked", new { address = key, unlocked = true });
        });
        return command;
    }
}
