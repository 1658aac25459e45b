using AuthServer.Core.Policy;

namespace AuthServer.Admin.Models;

/// <param name="Effect">allow (the default) or deny.</param>
/// <param name="Subject"><c>user:NAME</c>, <c>group:NAME</c>, <c>robot:NAME</c>, <c>authenticated</c> or <c>anonymous</c>.</param>
/// <param name="ResourceType">repository (the default), registry, …</param>
/// <param name="Pattern"><c>*</c> within a segment, <c>**</c> across segments, <c>${user}</c> for the caller's name.</param>
/// <param name="Actions">pull, push, delete or *.</param>
/// <param name="Service">Only for this service; none: every service.</param>
public sealed record RuleInput(
    RuleEffect? Effect, string? Subject, string? ResourceType, string? Pattern, IReadOnlyList<string?>? Actions, string? Service, string? Description)
{
    public RuleSpec ToSpec() => new(
        Effect ?? RuleEffect.Allow, Subject ?? "", ResourceType ?? "repository", Pattern ?? "",
        (Actions ?? []).Select(a => a ?? "").ToArray(), Service, Description);
}

public sealed record RuleView(
    long Id, RuleEffect Effect, string Subject, string? Service, string ResourceType, string Pattern, IReadOnlyList<string> Actions, string? Description,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static RuleView From(AccessRule r) => new(
        r.Id, r.Effect, RuleSubject.Format(r.SubjectKind, r.Subject), r.Service, r.ResourceType, r.Pattern, RuleActions.Parse(r.Actions), r.Description,
        r.CreatedAt, r.UpdatedAt);
}
