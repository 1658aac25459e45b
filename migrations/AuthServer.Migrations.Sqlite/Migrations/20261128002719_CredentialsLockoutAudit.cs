using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthServer.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CredentialsLockoutAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "UserId",
                table: "refresh_sessions",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "AccessTokenId",
                table: "refresh_sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Credential",
                table: "refresh_sessions",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Password");

            migrationBuilder.AddColumn<long>(
                name: "RobotId",
                table: "refresh_sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "access_tokens",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SecretHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ScopeLimits = table.Column<string>(type: "TEXT", maxLength: 4500, nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_access_tokens_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 140, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 140, nullable: true),
                    Credential = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CredentialId = table.Column<long>(type: "INTEGER", nullable: true),
                    Service = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    RequestedScopes = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    GrantedScopes = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    Details = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "lockout_releases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lockout_releases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "robots",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OwnerKind = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    OwnerUserId = table.Column<long>(type: "INTEGER", nullable: true),
                    OwnerGroupId = table.Column<long>(type: "INTEGER", nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SecretHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ScopeLimits = table.Column<string>(type: "TEXT", maxLength: 4500, nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    IsDisabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_robots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_robots_groups_OwnerGroupId",
                        column: x => x.OwnerGroupId,
                        principalTable: "groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_robots_users_OwnerUserId",
                        column: x => x.OwnerUserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "change_revisions",
                columns: new[] { "Area", "Revision" },
                values: new object[] { "lockouts", 0L });

            migrationBuilder.CreateIndex(
                name: "IX_refresh_sessions_AccessTokenId",
                table: "refresh_sessions",
                column: "AccessTokenId");

            migrationBuilder.CreateIndex(
                name: "IX_refresh_sessions_RobotId",
                table: "refresh_sessions",
                column: "RobotId");

            migrationBuilder.AddCheckConstraint(
                name: "CK_refresh_sessions_one_account",
                table: "refresh_sessions",
                sql: "(\"UserId\" IS NULL) <> (\"RobotId\" IS NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_SecretHash",
                table: "access_tokens",
                column: "SecretHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_UserId_NormalizedName",
                table: "access_tokens",
                columns: new[] { "UserId", "NormalizedName" },
                unique: true,
                filter: "\"RevokedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_At",
                table: "audit_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_Subject_At",
                table: "audit_events",
                columns: new[] { "Subject", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_robots_NormalizedName",
                table: "robots",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_robots_OwnerGroupId",
                table: "robots",
                column: "OwnerGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_robots_OwnerUserId",
                table: "robots",
                column: "OwnerUserId");

            migrationBuilder.AddForeignKey(
                name: "FK_refresh_sessions_access_tokens_AccessTokenId",
                table: "refresh_sessions",
                column: "AccessTokenId",
                principalTable: "access_tokens",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_refresh_sessions_robots_RobotId",
                table: "refresh_sessions",
                column: "RobotId",
                principalTable: "robots",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_refresh_sessions_access_tokens_AccessTokenId",
                table: "refresh_sessions");

            migrationBuilder.DropForeignKey(
                name: "FK_refresh_sessions_robots_RobotId",
                table: "refresh_sessions");

            migrationBuilder.DropTable(
                name: "access_tokens");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "lockout_releases");

            migrationBuilder.DropTable(
                name: "robots");

            migrationBuilder.DropIndex(
                name: "IX_refresh_sessions_AccessTokenId",
                table: "refresh_sessions");

            migrationBuilder.DropIndex(
                name: "IX_refresh_sessions_RobotId",
                table: "refresh_sessions");

            migrationBuilder.DropCheckConstraint(
                name: "CK_refresh_sessions_one_account",
                table: "refresh_sessions");

            migrationBuilder.DeleteData(
                table: "change_revisions",
                keyColumn: "Area",
                keyValue: "lockouts");

            migrationBuilder.DropColumn(
                name: "AccessTokenId",
                table: "refresh_sessions");

            migrationBuilder.DropColumn(
                name: "Credential",
                table: "refresh_sessions");

            migrationBuilder.DropColumn(
                name: "RobotId",
                table: "refresh_sessions");

            migrationBuilder.AlterColumn<long>(
                name: "UserId",
                table: "refresh_sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
