namespace AuthServer.Admin.Models;

public sealed record GroupCreate(string? Name, string? Description);

public sealed record GroupView(string Name, string? Description, IReadOnlyList<string> Members, DateTime CreatedAt);

public sealed record MemberAdd(string? User);
