using AuthServer.Core.Errors;

namespace AuthServer.Core.Policy;

/// <summary>
/// What a credential may reach at most. The policy decides what its account may do; these limits
/// only ever take away from that, never add: granted = requested ∩ allowed by rules ∩ allowed here.
/// </summary>
public sealed class ScopeLimits
{
    public const int MaxCount = 16;

    private ScopeLimits(IReadOnlyList<ScopeLimit> items) => Items = items;

    public IReadOnlyList<ScopeLimit> Items { get; }

    /// <summary>Validates limits given by an operator; null or none given means no limit.</summary>
    public static ScopeLimits? FromInput(IReadOnlyCollection<string>? texts)
    {
        if (texts is null || texts.Count == 0) return null;
        if (texts.Count > MaxCount) throw new ValidationFailedException("scopes", $"at most {MaxCount} scope limits");
        var items = new List<ScopeLimit>(texts.Count);
        foreach (var text in texts)
        {
            if (ScopeLimit.Problem(text?.Trim()) is { } problem) throw new ValidationFailedException("scopes", problem);
            items.Add(ScopeLimit.Parse(text!.Trim()));
        }
        return new ScopeLimits(items);
    }

    /// <summary>The stored form, read back; null when the credential has no limits.</summary>
    public static ScopeLimits? FromStored(string? stored) =>
        string.IsNullOrWhiteSpace(stored)
            ? null
            : new ScopeLimits(stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ScopeLimit.Parse).ToArray());

    /// <summary>Space-separated, as scopes are on the wire; no limit holds a space.</summary>
    public string ToStored() => string.Join(' ', Items);

    public IReadOnlyList<string> ToStrings() => Items.Select(i => i.ToString()).ToArray();

    public bool Allows(string type, string[] nameParts, string? user, string action) =>
        Items.Any(i => i.Allows(action) && i.Applies(type, nameParts, user));

    public bool AllowsEverything(string type, string[] nameParts, string? user) =>
        Items.Any(i => i.AllActions && i.Applies(type, nameParts, user));

    public override string ToString() => ToStored();
}
