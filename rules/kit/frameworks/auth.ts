// What authentication looks like in source: middleware and decorators that guard a route
// (`requireAuth`, `passport.authenticate('jwt')`, `@login_required`, `Depends(get_current_user)`,
// NestJS guards), and checks a handler makes itself (`getServerSession()`, `req.user`,
// `request.user.is_authenticated`). Judged on names and source text: an app names its guard
// after what it does, and a guard the vocabulary misses keeps a route quiet only if it is named
// like one, which errs on the side of silence.

/** Words of a guard's name, lower-cased with separators removed. */
const GUARD_WORDS = /auth|login|loggedin|signedin|jwt|bearer|protect|guard|permission|role|admin|staff|superuser|currentuser|apikey|clerk|owner|acl|policy|session(?=.*(?:require|check|verify|valid|ensure|has))|(?:require|check|verify|valid|ensure|has|must)(?:session|user|token|access|scope|member)|(?:verify|check|validate)(?:request|signature)|token(?:required|check|verify|valid)|isuser|restrict/;
/** Middleware that is plumbing, not a guard, even when its name has a guard word in it. */
const NOT_GUARD = /limit|passport\.(?:initialize|session)|cors|helmet|csrf|csurf|bodyparser|cookieparser|json|urlencoded|static|morgan|logger|compression|router$/i;

/** True when a middleware, decorator or dependency (given as source text) guards the route by who calls it. */
export function isAuthGuardText(src: string): boolean {
  const head = src.replace(/\s+/g, '').replace(/\(.*$/s, '');
  if (NOT_GUARD.test(head)) return false;
  if (/^passport\.authenticate$/.test(head) || /^(UseGuards|Auth|Authorized|Roles|RequireAuth)$/.test(head)) return true;
  const norm = src.toLowerCase().replace(/[_\-\s]/g, '');
  if (/^depends\(/.test(norm) || /^security\(/.test(norm) || /^\[?depends\(/.test(norm) || /dependencies=/.test(norm)) return GUARD_WORDS.test(norm);
  return GUARD_WORDS.test(head.toLowerCase().replace(/[_\-]/g, ''));
}

/** Checks a JavaScript handler makes itself: a session or user lookup, a token verified, an API key compared. */
const JS_HANDLER_CHECK = /\b(?:getServerSession|getSession|unstable_getServerSession|getToken|auth\s*\(\s*\)|currentUser|getAuth|getUser(?:FromRequest|OrThrow)?|validateRequest|verify(?:Token|Jwt|JWT|Session|Auth|User|ApiKey|Signature|Admin)\w*|jwt\.verify|jwtVerify|(?:req|request)\s*\.\s*(?:user|auth|session\s*\.\s*user|isAuthenticated|oidc)|ctx\s*\.\s*(?:state\s*\.\s*user|session|user)|(?:requireAuth|requireUser|requireAdmin|assertAdmin|ensureAdmin|isAdmin|checkAuth|checkAdmin)\w*\s*\(|clerkClient|supabase\s*\.\s*auth|auth\s*\.\s*(?:api|getUser|currentUser)|headers\s*(?:\.\s*get\s*\(|\[)\s*['"`](?:authorization|x-api-key|x-admin[\w-]*)|authorization|x-api-key|ADMIN_(?:TOKEN|KEY|SECRET|PASSWORD)|API_KEY|status\s*\(\s*40[13]\s*\)|status:\s*40[13]|unauthori[sz]ed|forbidden|UnauthorizedException|ForbiddenException|(?:get|require|with)\w*(?:Context|Session|Auth)\s*\()/i;
/** Checks a Python view makes itself. */
const PY_HANDLER_CHECK = /request\.user|current_user|is_authenticated|get_current_\w*user|verify_\w*|jwt|authorization|api_key|has_perm|is_staff|is_superuser|abort\(\s*40[13]|status_code\s*=\s*40[13]|HTTP_40[13]|g\.user|session\s*\[|session\.get\(|PermissionDenied|raise\s+Unauthorized|Forbidden/i;

/** True when the handler's own source checks who is calling. */
export function handlerChecksAuth(lang: 'js' | 'py', handlerText: string): boolean {
  return (lang === 'js' ? JS_HANDLER_CHECK : PY_HANDLER_CHECK).test(handlerText);
}
