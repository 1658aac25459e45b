using AuthServer.Core.Identity;
using AuthServer.Core.Scopes;

namespace AuthServer.Core.Policy;

/// <summary>
/// Everything of a caller that a policy decision reads, and nothing else: the evaluator takes
/// this, not a <see cref="Principal"/>, and the memo key is made from it, so a decision can never
/// depend on something the key leaves out.
/// </summary>
/// <param name="Name">The normalized account name; null for anonymous.</param>
/// <param name="Label">The account name as written, for the "via" of explanations only (explained decisions are never memoized).</param>
/// <param name="Limits">The credential's own scope limits; null when it has none.</param>
public readonly record struct PolicySubject(PrincipalKind Kind, string? Name, string Label, bool IsAdmin, ScopeLimits? Limits)
{
    public static PolicySubject Of(Principal principal) =>
        new(principal.Kind, principal.NormalizedName, principal.Name, principal.IsAdmin, principal.Limits);

    public static implicit operator PolicySubject(Principal principal) => Of(principal);

    public bool IsAuthenticated => Kind != PrincipalKind.Anonymous;

    /// <summary>What <c>${user}</c> stands for: a user's own name; robots and anonymous callers have none.</summary>
    public string? PatternUser => Kind == PrincipalKind.User ? Name : null;

    /// <summary>
    /// Whether a decision depends only on the snapshot, this subject's kind and name, and the
    /// request: admins cost nothing to decide, and limits differ per credential.
    /// </summary>
    public bool IsMemoizable => !IsAdmin && Limits is null;

    /// <summary>
    /// The memo key: every field a memoizable decision reads (kind, name), the service, the
    /// resource and the actions in the order asked. '\n' cannot occur in any of them (scope.md).
    /// </summary>
    public string MemoKey(string service, ResourceScope requested)
    {
        var actions = requested.Actions.Count == 1 ? requested.Actions[0] : string.Join(',', requested.Actions);
        return string.Join('\n', ((int)Kind).ToString(System.Globalization.CultureInfo.InvariantCulture), Name ?? "", service, requested.Type, requested.Name, actions);
    }
}
