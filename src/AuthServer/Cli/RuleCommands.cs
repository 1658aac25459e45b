using AuthServer.Core.Errors;
using AuthServer.Core.Policy;
using AuthServer.Core.Policy.Lint;

namespace AuthServer.Cli;

internal sealed class RuleCommands(CliContext cli)
{
    /// <summary>Named as the admin API names them: resourceType, actions as an array.</summary>
    internal sealed record RuleView(
        long Id, string Effect, string Subject, string? Service, string ResourceType, string Pattern, IReadOnlyList<string> Actions, string? Description)
    {
        public static RuleView From(AccessRule r) => new(r.Id, r.Effect.ToString().ToLowerInvariant(),
            RuleSubject.Format(r.SubjectKind, r.Subject), r.Service, r.ResourceType, r.Pattern, RuleActions.Parse(r.Actions), r.Description);

        [System.Text.Json.Serialization.JsonIgnore]
        public string ActionsText => string.Join(',', Actions);
    }

    public Command Create()
    {
        var command = new Command("rule", "Manage access rules (allows add up, denies subtract, order never matters)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Lint());
        return command;
    }

    private Command Add()
    {
        var subject = new Option<string>("--subject") { Description = "user:NAME, group:NAME, authenticated or anonymous", Required = true };
        var pattern = new Option<string>("--pattern") { Description = "Name pattern: * within a segment, ** across segments, ${user}", Required = true };
        var actions = new Option<string[]>("--actions")
        {
            Description = "Comma-separated: pull, push, delete, or * for all",
            Required = true,
            CustomParser = r => r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        actions.Validators.Add(r =>
        {
            if (RuleActions.UnknownAction(r.GetValueOrDefault<string[]>() ?? []) is { } unknown)
                r.AddError($"--actions: '{unknown}' is not an action (pull, push, delete or *)");
        });
        var type = new Option<string>("--type") { Description = "Resource type", DefaultValueFactory = _ => "repository" };
        var service = new Option<string?>("--service") { Description = "Only for this service (default: every service)" };
        var deny = Flags.Flag("--deny", "Deny these actions instead of allowing them");
        var description = new Option<string?>("--description") { Description = "Why the rule exists" };
        var command = new Command("add", "Add an access rule") { subject, pattern, actions, type, service, deny, description };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var spec = new RuleSpec(
                parse.GetValue(deny) ? RuleEffect.Deny : RuleEffect.Allow,
                parse.GetValue(subject)!,
                parse.GetValue(type)!,
                parse.GetValue(pattern)!,
                parse.GetValue(actions)!,
                parse.GetValue(service),
                parse.GetValue(description));
            var rules = services.GetRequiredService<RuleService>();
            // What rule lint would call an error is refused here, before it is stored.
            var errors = await services.GetRequiredService<RuleLintService>().ErrorsAsync(await rules.CheckAsync(spec, ct), ct);
            if (errors.Count > 0) throw new ValidationFailedException("rule", $"refused: {errors[0].Message} (rule lint: {errors[0].Code})");
            var rule = await rules.CreateAsync(spec, ct);
            var view = RuleView.From(rule);
            output.Done($"added rule {rule.Id}: {view.Effect} {view.Subject} {view.ActionsText} on {view.ResourceType}:{view.Pattern}", view);
        });
        return command;
    }

    private Command List()
    {
        var command = new Command("list", "List access rules");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var rules = await services.GetRequiredService<RuleService>().ListAsync(ct);
            output.List(rules.Select(RuleView.From).ToList(), ["ID", "EFFECT", "SUBJECT", "SERVICE", "TYPE", "PATTERN", "ACTIONS", "DESCRIPTION"],
                r => [r.Id.ToString(), r.Effect, r.Subject, r.Service ?? "*", r.ResourceType, r.Pattern, r.ActionsText, r.Description]);
        });
        return command;
    }

    private Command Delete()
    {
        var id = new Argument<long>("id") { Description = "Rule id (see rule list)" };
        var command = new Command("delete", "Delete an access rule") { id };
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var ruleId = parse.GetValue(id);
            await services.GetRequiredService<RuleService>().DeleteAsync(ruleId, ct);
            output.Done($"rule {ruleId} deleted", new { id = ruleId, deleted = true });
        });
        return command;
    }

    private Command Lint()
    {
        var command = new Command("lint", "Report rules that can never match, duplicates, and rules that grant nothing; exit 1 when one is an error");
        cli.SetAction(command, async (parse, services, output, ct) =>
        {
            var findings = await services.GetRequiredService<RuleLintService>().LintAsync(ct);
            output.List(findings, ["RULE", "SEVERITY", "CODE", "FINDING"],
                f => [f.RuleId.ToString(), f.Severity.ToString().ToLowerInvariant(), f.Code, f.Message]);
            return findings.Any(f => f.Severity == LintSeverity.Error) ? ExitCodes.Refused : ExitCodes.Ok;
        });
        return command;
    }
}
