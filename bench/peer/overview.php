<?php
// bench/peer/overview.php — the PHP peer of the portal's signed-in Overview (bench/side.sh):
// what a team would otherwise write. PHP-FPM 8.2, a persistent PDO-SQLite connection to the
// portal's own database, the same session lookup (the cookie's BLAKE2b hash, the same
// statement, the same idle/absolute expiry) and the same four statements the Overview runs
// (organization + country, partner accounts, legal profile, agreement standing), every value
// escaped with htmlspecialchars, the portal's response headers. Reads only.
const SESSION_IDLE = 30 * 60;          // domain/session.h
const SESSION_ABSOLUTE = 12 * 60 * 60;

function e($s) { return htmlspecialchars((string)$s, ENT_QUOTES | ENT_HTML5, 'UTF-8'); }

function db() {
    $pdo = new PDO('sqlite:' . $_SERVER['PORTAL_DB'], null, null, [
        PDO::ATTR_PERSISTENT => true,
        PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_NUM,
    ]);
    $pdo->setAttribute(PDO::ATTR_TIMEOUT, 5);
    return $pdo;
}

function bye($status, $where = null) {
    http_response_code($status);
    if ($where) header('Location: ' . $where);
    exit;
}

$cookie = $_COOKIE['sid'] ?? '';
if (strlen($cookie) !== 43) bye(303, '/signin');
$raw = base64_decode(strtr($cookie, '-_', '+/') . '=', true);
if ($raw === false || strlen($raw) !== 32) bye(303, '/signin');
$hash = sodium_crypto_generichash($raw);

$db = db();
$q = $db->prepare("SELECT s.id, s.created_at, s.seen_at, u.id, u.tenant_id, u.email, u.name, u.roles, t.name, t.kind, t.country,"
    . " (SELECT group_concat(p.type || ':' || p.status) FROM partner_accounts p WHERE p.tenant_id = t.id),"
    . " s.auth_at, s.mfa, u.mfa_enabled_at IS NOT NULL,"
    . " t.require_mfa OR coalesce((SELECT value = '1' FROM program_settings WHERE name = 'require_mfa'), 0)"
    . " FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id"
    . " WHERE s.token_hash = ?");
$q->bindValue(1, $hash, PDO::PARAM_LOB);
$q->execute();
$s = $q->fetch();
$q->closeCursor();
$now = time();
if (!$s || $now - $s[2] > SESSION_IDLE || $now - $s[1] > SESSION_ABSOLUTE) bye(303, '/signin');
$tenant = $s[4];

$q = $db->prepare("SELECT t.id, t.name, t.domain, t.kind, t.created_at, t.country, c.name, c.region, r.name"
    . " FROM tenants t JOIN countries c ON c.code = t.country JOIN regions r ON r.code = c.region WHERE t.id = ?");
$q->execute([$tenant]);
$org = $q->fetch();
$q = $db->prepare("SELECT id, tenant_id, type, status, support_email, support_phone, support_website, submitted_at,"
    . " verified_at, decided_at, reject_reason, verify_sent_at FROM partner_accounts WHERE tenant_id = ? ORDER BY id");
$q->execute([$tenant]);
$accounts = $q->fetchAll();
$q = $db->prepare("SELECT legal_name, address1, address2, city, state, postal_code, contact_first, contact_last,"
    . " contact_email, contact_phone, coalesce(contact_verified_at, 0), updated_at FROM legal_profiles WHERE tenant_id = ?");
$q->execute([$tenant]);
$legal = $q->fetch();
$q = $db->prepare("SELECT v.id, v.version, v.published_at, coalesce(a.version_id, 0), coalesce(av.version, ''),"
    . " a.signer_first, a.signer_last, a.signer_email, a.signer_title, coalesce(a.accepted_at, 0)"
    . " FROM (SELECT id, version, published_at FROM agreement_versions ORDER BY id DESC LIMIT 1) v"
    . " LEFT JOIN (SELECT version_id, signer_first, signer_last, signer_email, signer_title, accepted_at"
    . "   FROM agreement_acceptances WHERE tenant_id = ? ORDER BY version_id DESC LIMIT 1) a ON 1"
    . " LEFT JOIN agreement_versions av ON av.id = a.version_id");
$q->execute([$tenant]);
$ag = $q->fetch();

$reseller = null;
foreach ($accounts as $a) if ($a[2] === 'indirect_reseller') $reseller = $a;
$steps = [['Account created', 'ok', 'Done', 'Your work account ' . $org[2] . ' was created on ' . gmdate('j M Y', $org[4]) . '.']];
if ($reseller) {
    $steps[] = ['Enrolled as indirect reseller', $reseller[3] === 'approved' ? 'ok' : 'warn', ucfirst(str_replace('_', ' ', $reseller[3])),
        'Your enrollment is ' . str_replace('_', ' ', $reseller[3]) . ($legal ? ' (contact: ' . $legal[6] . ' ' . $legal[7] . ').' : '.')];
} else {
    $steps[] = ['Enrolled as indirect reseller', 'muted', 'Not started', 'Enroll to resell the program\'s offers through an indirect provider.'];
}
if ($ag && $ag[3] && $ag[3] == $ag[0]) {
    $steps[] = ['Partner agreement signed', 'ok', 'Done', 'Partner Agreement ' . $ag[1] . ' accepted by ' . $ag[5] . ' ' . $ag[6] . '.'];
} elseif (!$ag) {
    $steps[] = ['Partner agreement signed', 'muted', 'Not signed', 'The Partner Agreement is not yet available to sign. This step opens once it is published.'];
} else {
    $steps[] = ['Partner agreement signed', 'warn', 'Not signed', 'Accept the Partner Agreement ' . $ag[1] . ' before you transact.'];
}
$nav = [['/', 'Overview'], ['/enroll', 'Enroll'], ['/agreement', 'Partner agreement'], ['/find-a-provider', 'Find a provider']];
$settings = [['/settings/profile', 'Organization profile'], ['/settings/users', 'Users'], ['/settings/roles', 'Roles'],
    ['/settings/security', 'Security'], ['/settings/audit', 'Audit log']];
$csrf = rtrim(strtr(base64_encode(hash_hmac('sha256', $cookie, 'bench-peer', true)), '+/', '-_'), '=');
$product = 'Partner Center';

header('Content-Type: text/html; charset=utf-8');
header('Cache-Control: no-store');
header("Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'");
header('X-Content-Type-Options: nosniff');
header('X-Frame-Options: DENY');
header('Referrer-Policy: no-referrer');
header('Cross-Origin-Opener-Policy: same-origin');
header('Permissions-Policy: camera=(), microphone=(), geolocation=()');
header('X-Request-Id: ' . bin2hex(random_bytes(8)));
?><!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Overview · <?= e($product) ?></title>
<link rel="stylesheet" href="/static/css/portal.css">
<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/"><img src="/static/img/logo.svg" alt="" width="24" height="24"> <?= e($product) ?></a>
  <div class="who">
    <span class="org" title="Organization"><?= e($s[8]) ?></span>
    <a class="user" href="/account" title="Your account"><?= e($s[6]) ?> <span class="roles">· Global admin</span></a>
    <form method="post" action="/signout" class="inline">
      <input type="hidden" name="csrf" value="<?= e($csrf) ?>">
      <button type="submit" class="linkish">Sign out</button>
    </form>
  </div>
</header>
<div class="frame">
  <nav class="side" aria-label="Main">
    <ul>
<?php foreach ($nav as $n): ?>      <li><a href="<?= e($n[0]) ?>"<?= $n[0] === '/' ? ' aria-current="page"' : '' ?>><?= e($n[1]) ?></a></li>
<?php endforeach; ?>    </ul>
    <p class="navhead" id="nav-settings">Settings</p>
    <ul aria-labelledby="nav-settings">
<?php foreach ($settings as $n): ?>      <li><a href="<?= e($n[0]) ?>"><?= e($n[1]) ?></a></li>
<?php endforeach; ?>    </ul>
  </nav>
  <main id="main" tabindex="-1">
<h1>Overview</h1>
<p class="lead">Welcome, <?= e($s[6]) ?>. You are signed in to <strong><?= e($s[8]) ?></strong> (<?= e($org[6]) ?>, <?= e($org[8]) ?>).</p>
<?php if ($ag && !($ag[3] && $ag[3] == $ag[0])): ?>
<div class="banner warn" role="status"><h2>Accept the Partner Agreement</h2><p>Version <?= e($ag[1]) ?> was published on <?= e(gmdate('j M Y', $ag[2])) ?>. Your organization cannot transact until a Global admin accepts it.</p><p><a href="/agreement">Review and accept the agreement</a></p></div>
<?php endif; ?>
<h2 id="ready-h">Get ready to transact</h2>
<p class="meta">The three things your organization needs before it can transact.</p>
<ul class="checklist" aria-labelledby="ready-h">
<?php foreach ($steps as $st): ?>  <li>
    <div class="head"><h3><?= e($st[0]) ?></h3> <span class="tag <?= e($st[1]) ?>"><?= e($st[2]) ?></span></div>
    <p><?= e($st[3]) ?></p>
    <p><a href="/enroll">Enroll now</a></p>
  </li>
<?php endforeach; ?></ul>
  </main>
</div>
<footer class="foot">
  <p><?= e($product) ?> for the Contoso Cloud Solution Provider program.</p>
</footer>
</body>
</html>
