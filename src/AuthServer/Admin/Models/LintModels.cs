using AuthServer.Core.Policy.Lint;

namespace AuthServer.Admin.Models;

public sealed record LintReport(int Rules, int Errors, int Warnings, IReadOnlyList<LintFinding> Findings);
