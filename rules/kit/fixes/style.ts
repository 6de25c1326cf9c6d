// The file's own style, for code a fix writes: quote character and semicolons.
import type { CodeModel } from '../model/model';

/** The quote the file uses most for strings. */
export function quoteOf(model: CodeModel): string {
  return model.cached('style:quote', () => {
    let single = 0;
    let double = 0;
    for (const n of model.nodesOfType('Str')) {
      const c = model.text[n.start];
      if (c === "'") single++; else if (c === '"') double++;
    }
    if (single === double) return model.lang === 'py' ? '"' : "'";
    return double > single ? '"' : "'";
  });
}

/** Whether JS statements end with semicolons (the majority of expression statements decides). */
export function usesSemicolons(model: CodeModel): boolean {
  return model.cached('style:semicolons', () => {
    let yes = 0;
    let no = 0;
    for (const n of model.nodesOfType('ExprStmt')) {
      if (model.text[n.end - 1] === ';') yes++; else no++;
    }
    return yes >= no;
  });
}
