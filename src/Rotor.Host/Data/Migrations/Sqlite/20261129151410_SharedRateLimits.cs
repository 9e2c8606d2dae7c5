using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rotor.Host.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SharedRateLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rotor_rate_limits",
                columns: table => new
                {
                    Policy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hits = table.Column<int>(type: "INTEGER", nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rotor_rate_limits", x => new { x.Policy, x.Key });
                });

            migrationBuilder.CreateIndex(
                name: "IX_rotor_rate_limits_ExpiresAt",
                table: "rotor_rate_limits",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rotor_rate_limits");
        }
    }
}
